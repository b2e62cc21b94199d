# Protected-mode part of the rig's "uncompressed bzImage" for Bochs.
#
# Why: Debian's 6.1 kernel is an XZ-compressed bzImage. In Bochs, which
# interprets every guest instruction, its decompressor alone takes about two
# thirds of a rig run (~70 s of ~105 s). The rig therefore boots the already
# decompressed kernel: run-tests.sh builds a bzImage out of
#   [Debian's real-mode setup sectors] [this stub] [vmlinux, flattened]
# and isolinux loads it like any bzImage. The kernel's own setup code does
# the BIOS work (e820 memory map, ...), fills struct boot_params, switches to
# 32-bit protected mode and jumps here (code32_start, loaded at 0x100000)
# with %esi = &boot_params. This stub then
#   1. moves the flattened vmlinux to its link-time physical address,
#   2. translates boot_params into the PVH boot ABI's hvm_start_info
#      (cmdline, initramfs as module 0, e820 map as the memmap),
#   3. jumps to vmlinux's PVH entry (ELF note XEN_ELFNOTE_PHYS32_ENTRY),
# the same entry QEMU uses for `-kernel vmlinux`. PVH wants flat 32-bit
# protected mode with paging off, which is exactly the state the setup code
# leaves us in. Linux copies what it needs from these structures before it
# allocates any memory.
#
# Assembled by run-tests.sh:
#   as --32 --defsym KERNEL_PADDR=.. --defsym KERNEL_SIZE=.. --defsym PVH_ENTRY=..
#   ld -m elf_i386 -Ttext=0 --oformat binary          (position-independent)

	.set PAYLOAD_OFFSET, 0x2000	# the flattened vmlinux follows the stub
	.set BP_EXT_RAMDISK_IMAGE, 0x0c0	# struct boot_params offsets
	.set BP_EXT_RAMDISK_SIZE, 0x0c4
	.set BP_EXT_CMD_LINE_PTR, 0x0c8
	.set BP_E820_ENTRIES, 0x1e8
	.set BP_RAMDISK_IMAGE, 0x218
	.set BP_RAMDISK_SIZE, 0x21c
	.set BP_CMD_LINE_PTR, 0x228
	.set BP_E820_TABLE, 0x2d0
	.set E820_MAX, 128
	.set COM1, 0x3f8

	.code32
	.text
	.globl _start
_start:
	cli
	cld
	movl	%esi, %ebp		# struct boot_params *
	call	1f
1:	popl	%edx
	subl	$(1b - _start), %edx	# %edx = load address of this stub

	# The initramfs (placed by isolinux at the top of RAM) must not overlap
	# the kernel's destination [KERNEL_PADDR, KERNEL_PADDR + KERNEL_SIZE).
	movl	BP_RAMDISK_SIZE(%ebp), %eax
	testl	%eax, %eax
	jz	2f
	movl	BP_RAMDISK_IMAGE(%ebp), %ecx
	cmpl	$(KERNEL_PADDR + KERNEL_SIZE), %ecx
	jae	2f
	addl	%ecx, %eax
	cmpl	$KERNEL_PADDR, %eax
	jbe	2f
	leal	(msg_overlap - _start)(%edx), %esi
	jmp	fatal
2:
	# memmove(KERNEL_PADDR, stub + PAYLOAD_OFFSET, KERNEL_SIZE), backwards
	# when the destination is above the source (it is: 16 MiB > 1 MiB).
	leal	PAYLOAD_OFFSET(%edx), %esi
	movl	$KERNEL_PADDR, %edi
	movl	$(KERNEL_SIZE / 4), %ecx
	cmpl	%esi, %edi
	jbe	3f
	leal	-4(%esi,%ecx,4), %esi
	leal	-4(%edi,%ecx,4), %edi
	std
3:	rep movsl
	cld

	# struct hvm_start_info (version 1)
	leal	(start_info - _start)(%edx), %ebx
	movl	$0x336ec578, 0(%ebx)	# magic
	movl	$1, 4(%ebx)		# version
	movl	BP_CMD_LINE_PTR(%ebp), %eax
	movl	%eax, 24(%ebx)		# cmdline_paddr
	movl	BP_EXT_CMD_LINE_PTR(%ebp), %eax
	movl	%eax, 28(%ebx)
	movl	BP_RAMDISK_SIZE(%ebp), %eax
	testl	%eax, %eax
	jz	4f
	leal	(modlist - _start)(%edx), %edi
	movl	%edi, 16(%ebx)		# modlist_paddr
	movl	$1, 12(%ebx)		# nr_modules: the initramfs
	movl	%eax, 8(%edi)		# modlist[0].size
	movl	BP_EXT_RAMDISK_SIZE(%ebp), %eax
	movl	%eax, 12(%edi)
	movl	BP_RAMDISK_IMAGE(%ebp), %eax
	movl	%eax, 0(%edi)		# modlist[0].paddr
	movl	BP_EXT_RAMDISK_IMAGE(%ebp), %eax
	movl	%eax, 4(%edi)
4:
	# e820 entries {u64 addr, u64 size, u32 type} (20 bytes, packed) ->
	# hvm_memmap_table_entry {u64 addr, u64 size, u32 type, u32 reserved}
	leal	(memmap - _start)(%edx), %edi
	movl	%edi, 40(%ebx)		# memmap_paddr
	movzbl	BP_E820_ENTRIES(%ebp), %ecx
	cmpl	$E820_MAX, %ecx
	jbe	5f
	movl	$E820_MAX, %ecx
5:	movl	%ecx, 48(%ebx)		# memmap_entries
	leal	BP_E820_TABLE(%ebp), %esi
	xorl	%eax, %eax
6:	jecxz	7f
	movsl
	movsl
	movsl
	movsl
	movsl
	stosl				# reserved = 0
	decl	%ecx
	jmp	6b
7:
	movl	$PVH_ENTRY, %eax	# %ebx = &start_info
	jmp	*%eax

	# Print the NUL-terminated string at %esi on COM1 and stop.
fatal:
	movw	$(COM1 + 5), %dx	# line status register
8:	inb	%dx, %al
	testb	$0x20, %al		# transmitter holding register empty
	jz	8b
	lodsb
	testb	%al, %al
	jz	9f
	movw	$COM1, %dx
	outb	%al, %dx
	jmp	fatal
9:	hlt
	jmp	9b

msg_overlap:
	.asciz	"\r\ndtl pvh-stub: initramfs overlaps the kernel's load address; give the VM more memory\r\n"

	.p2align 3
start_info:
	.fill	56, 1, 0
modlist:
	.fill	32, 1, 0
memmap:
	.fill	E820_MAX * 24, 1, 0
	.org	PAYLOAD_OFFSET		# fails to assemble if the stub outgrows it
