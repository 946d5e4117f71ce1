/* crtbegin.c: opens the .ctors list with a -1 sentinel (the linker keeps this object's .ctors first). */

/*
 * crt0 runs the entries between this sentinel and crtend's 0 from the last
 * to the first, the order in which the compiler emits them.  The sentinel
 * is the constant -1, so it needs no relocation.  Written in assembly so
 * the section gets the same "aw" flags as the compiler's own .ctors.
 */
__asm__(".section .ctors,\"aw\",@progbits\n"
	".p2align 3\n"
	".globl __capbox_ctors_begin\n"
	".hidden __capbox_ctors_begin\n"
	".type __capbox_ctors_begin,@object\n"
	".size __capbox_ctors_begin,8\n"
	"__capbox_ctors_begin:\n"
	".quad -1\n"
	".previous\n");
