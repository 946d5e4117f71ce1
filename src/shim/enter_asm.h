/* enter_asm.h: the assembler macro that start.S and thread_start.S jump into guest code with. */
#ifndef CAPBOX_SHIM_ENTER_ASM_H
#define CAPBOX_SHIM_ENTER_ASM_H

#ifndef __ASSEMBLER__
#error "enter_asm.h is for assembler sources only"
#endif

/* Assembler, not C: clang-format (tools/check-format) keeps out of the
 * rest of this file. */
/* clang-format off */

/*
 * jump_to_guest: zeroes %rbx, %rcx, %rdx, %rbp and %r8-%r15, then jumps to
 * *%rax, so that guest code finds no shim values in its registers.  The
 * caller sets %rsp and the argument registers %rdi and %rsi (or zeroes
 * them) first.
 */
	.macro jump_to_guest
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %ebp, %ebp
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
	jmp *%rax
	.endm

#endif
