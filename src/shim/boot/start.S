/* start.S: the shim's entry from the kernel, and its jump into the program. */
#include "shim/enter_asm.h"

	.text

/* The kernel starts us with %rsp at argc, argv[], envp[], auxv[]. */
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call shim_main
	ud2
	.size _start, . - _start

/*
 * shim_enter_program(entry, stack, auxv): %rsp = stack (8 mod 16, as if a
 * return address had been pushed), %rdi = auxv, every other general
 * register zero, then jump.  Never returns.
 */
	.globl shim_enter_program
	.hidden shim_enter_program
	.type shim_enter_program, @function
shim_enter_program:
	mov %rsi, %rsp
	mov %rdi, %rax
	mov %rdx, %rdi
	xor %esi, %esi
	jump_to_guest
	.size shim_enter_program, . - shim_enter_program

	.section .note.GNU-stack, "", @progbits
