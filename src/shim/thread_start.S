/* thread_start.S: the raw clone that starts a guest thread on its own stack, and the stack switch thread_exit ends on. */
#include <asm/unistd.h>

#include "shim/enter_asm.h"

	.text

/*
 * long shim_thread_clone(flags, stack, ptid, ctid, tls, entry, argument)
 *   %rdi flags, %rsi stack (8 mod 16, a zero return address at (%rsi)),
 *   %rdx ptid, %rcx ctid, %r8 tls (the new %fs base), %r9 entry,
 *   8(%rsp) argument.
 * The parent gets the new tid or -errno.  The child, on the guest stack
 * with %fs already set, calls nothing: it loads entry_point(tid, argument)
 * into registers and jumps there with every other register zero, as if
 * the zero return address had been pushed by a call.
 */
	.globl shim_thread_clone
	.hidden shim_thread_clone
	.type shim_thread_clone, @function
shim_thread_clone:
	push %r12
	mov 16(%rsp), %r12        /* argument: survives into the child */
	mov %rcx, %r10
	mov $__NR_clone, %eax
	syscall
	test %rax, %rax
	jz 1f
	pop %r12
	ret
1:
	mov $__NR_gettid, %eax
	syscall
	mov %eax, %edi
	mov %r12, %rsi
	mov %r9, %rax
	jump_to_guest
	.size shim_thread_clone, . - shim_thread_clone

/*
 * shim_thread_exit_on(stack_top, lock, scope): leaves the guest stack for
 * the shim-owned one at stack_top (16-byte aligned) and calls
 * shim_thread_exit_finish(lock, scope), which never returns.  Once the
 * join lock is released the joiner may free the guest stack at once.
 */
	.globl shim_thread_exit_on
	.hidden shim_thread_exit_on
	.type shim_thread_exit_on, @function
shim_thread_exit_on:
	mov %rdi, %rsp
	mov %rsi, %rdi
	mov %edx, %esi
	xor %ebp, %ebp
	call shim_thread_exit_finish
	ud2
	.size shim_thread_exit_on, . - shim_thread_exit_on

	.section .note.GNU-stack, "", @progbits
