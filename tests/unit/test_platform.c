// SPDX-License-Identifier: MIT
#include <dune/platform.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static const char cpuinfo_vmx[] = "processor\t: 0\n"
                                  "vendor_id\t: GenuineIntel\n"
                                  "flags\t\t: fpu vme de pse tsc msr vmx smx est tm2 hypervisor\n"
                                  "bugs\t\t: spectre_v1\n";

static void finds_whole_word_flags(void **state)
{
	(void)state;
	assert_true(dune_cpuinfo_has_flag(cpuinfo_vmx, "vmx"));
	assert_true(dune_cpuinfo_has_flag(cpuinfo_vmx, "fpu"));
	assert_true(dune_cpuinfo_has_flag(cpuinfo_vmx, "hypervisor"));
	assert_false(dune_cpuinfo_has_flag(cpuinfo_vmx, "svm"));
	assert_false(dune_cpuinfo_has_flag(cpuinfo_vmx, "vm"));         /* prefix of vmx/vme */
	assert_false(dune_cpuinfo_has_flag(cpuinfo_vmx, "spectre_v1")); /* a bug, not a flag */
	assert_false(dune_cpuinfo_has_flag("processor : 0\n", "vmx"));
	assert_true(dune_cpuinfo_has_flag("flags : svm npt\n", "svm"));
}

static void explains_missing_kvm(void **state)
{
	(void)state;
	char buf[512];
	struct dune_platform p = {.kvm_present = false, .cpu_vmx = true};
	const char *why = dune_platform_explain(&p, buf, sizeof(buf));
	assert_non_null(why);
	assert_non_null(strstr(why, "modprobe kvm_intel"));

	p = (struct dune_platform){.kvm_present = false};
	why = dune_platform_explain(&p, buf, sizeof(buf));
	assert_non_null(strstr(why, "neither vmx nor svm"));

	p = (struct dune_platform){.kvm_present = true, .kvm_open_errno = EACCES};
	why = dune_platform_explain(&p, buf, sizeof(buf));
	assert_non_null(strstr(why, "kvm' group"));

	p = (struct dune_platform){.kvm_present = true, .kvm_api_version = 11};
	why = dune_platform_explain(&p, buf, sizeof(buf));
	assert_non_null(strstr(why, "API version 11"));

	p = (struct dune_platform){.kvm_present = true, .kvm_api_version = 12};
	assert_null(dune_platform_explain(&p, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(finds_whole_word_flags),
	    cmocka_unit_test(explains_missing_kvm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
