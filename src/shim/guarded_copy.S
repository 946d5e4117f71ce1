/* guarded_copy.S: a memory copy that reports a fault on guest memory as -EFAULT instead of dying of it (see fault.c). */

	.text

/*
 * long shim_guarded_copy(void *dst, const void *src, size_t len): copies
 * len bytes; returns 0, or -EFAULT (-14) if a page of either side could not
 * be touched (then some bytes may have been copied).  The one instruction
 * that may fault is shim_guarded_copy_insn; fault.c's SIGSEGV handler
 * resumes a fault there at shim_guarded_copy_fixup.
 */
	.globl shim_guarded_copy
	.hidden shim_guarded_copy
	.type shim_guarded_copy, @function
shim_guarded_copy:
	mov %rdx, %rcx
	.globl shim_guarded_copy_insn
	.hidden shim_guarded_copy_insn
shim_guarded_copy_insn:
	rep movsb
	xor %eax, %eax
	ret
	.globl shim_guarded_copy_fixup
	.hidden shim_guarded_copy_fixup
shim_guarded_copy_fixup:
	mov $-14, %rax
	ret
	.size shim_guarded_copy, . - shim_guarded_copy

/* The return path of fault.c's signal handler. */
	.globl shim_signal_return
	.hidden shim_signal_return
	.type shim_signal_return, @function
shim_signal_return:
	mov $15, %eax /* __NR_rt_sigreturn */
	syscall
	ud2
	.size shim_signal_return, . - shim_signal_return

	.section .note.GNU-stack, "", @progbits
