// SPDX-License-Identifier: MIT
/* Backend selection and the operations tables (libdune/backend). */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "backend/backend.h"

static void kmod_is_named_and_not_built(void **state)
{
	(void)state;
	char why[512] = "";
	assert_null(dune_backend_choose("kmod", why, sizeof(why)));
	assert_non_null(strstr(why, "DUNE_BACKEND=kmod"));
	assert_non_null(strstr(why, "dune.ko"));
	assert_int_equal(dune_kmod_backend.probe(why, sizeof(why)), -ENODEV);
}

static void unknown_name_is_refused(void **state)
{
	(void)state;
	char why[512] = "";
	assert_null(dune_backend_choose("xen", why, sizeof(why)));
	assert_non_null(strstr(why, "DUNE_BACKEND=xen"));
	assert_non_null(strstr(why, "no such backend"));
}

/* The kvm backend implements every operation: the monitor calls them
 * without checking. */
static void kvm_implements_every_op(void **state)
{
	(void)state;
	const struct dune_backend_ops *k = &dune_kvm_backend;
	assert_string_equal(k->name, "kvm");
	const bool present[] = {
	    k->probe != NULL,
	    k->describe != NULL,
	    k->init != NULL,
	    k->fork_child != NULL,
	    k->has_capability != NULL,
	    k->map_run != NULL,
	    k->vcpu_create != NULL,
	    k->vcpu_reset != NULL,
	    k->run != NULL,
	    k->get_regs != NULL,
	    k->set_regs != NULL,
	    k->set_segment_bases != NULL,
	    k->xsave_size != NULL,
	    k->get_xsave != NULL,
	    k->set_xsave != NULL,
	    k->inject_interrupt != NULL,
	    k->cancel_interrupt_window != NULL,
	    k->set_guest_debug != NULL,
	    k->dump != NULL,
	    k->fd_renumbered != NULL,
	};
	for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++)
		assert_true(present[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(kmod_is_named_and_not_built),
	    cmocka_unit_test(unknown_name_is_refused),
	    cmocka_unit_test(kvm_implements_every_op),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
