// SPDX-License-Identifier: MIT
/* The kvm backend: /dev/kvm on VT-x, AMD-V or a PVM host (pvm.c). */
#include "kvm.h"

const struct dune_backend_ops dune_kvm_backend = {
    .name = "kvm",
    .owns_memory = dune_kvm_owns_memory,
    .probe = dune_kvm_probe,
    .describe = dune_kvm_describe,
    .init = dune_kvm_init,
    .fork_child = dune_kvm_fork_child,
    .has_capability = dune_kvm_has_capability,
    .max_vcpus = dune_kvm_max_vcpus,
    .map_run = dune_kvm_map_run,
    .vcpu_create = dune_kvm_vcpu_create,
    .vcpu_reset = dune_kvm_vcpu_reset,
    .run = dune_kvm_run,
    .get_regs = dune_kvm_get_regs,
    .set_regs = dune_kvm_set_regs,
    .set_segment_bases = dune_kvm_set_segment_bases,
    .sync_tsc_mode = dune_kvm_sync_tsc_mode,
    .xsave_size = dune_kvm_xsave_size,
    .get_xsave = dune_kvm_get_xsave,
    .set_xsave = dune_kvm_set_xsave,
    .inject_interrupt = dune_kvm_inject_interrupt,
    .set_run_signal_mask = dune_kvm_set_run_signal_mask,
    .cancel_interrupt_window = dune_kvm_cancel_interrupt_window,
    .set_guest_debug = dune_kvm_set_guest_debug,
    .dump = dune_kvm_dump,
    .fd_renumbered = dune_kvm_fd_renumbered,
    .device_fd = dune_kvm_device_fd,
    .kernel_exits = dune_kvm_kernel_exits,
};
