// SPDX-License-Identifier: MIT
/*
 * The kmod backend (dune.ko, /dev/dune): not part of this build yet. It is
 * listed so that DUNE_BACKEND=kmod is answered plainly; its probe says why
 * it cannot run, so no other operation is ever reached.
 */
#include "backend/backend.h"

#include <errno.h>
#include <stdio.h>

static int kmod_probe(char *why, size_t len)
{
	snprintf(why, len,
	         "this build has only the 'kvm' backend (the kmod backend needs dune.ko and "
	         "/dev/dune)");
	return -ENODEV;
}

const struct dune_backend_ops dune_kmod_backend = {
    .name = "kmod",
    .probe = kmod_probe,
};
