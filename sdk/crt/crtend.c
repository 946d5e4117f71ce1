/* crtend.c: closes the .ctors list with a 0 entry (the linker keeps this object's .ctors last). */

/* See crtbegin.c; crt0 starts at this entry and walks backwards. */
__asm__(".section .ctors,\"aw\",@progbits\n"
	".p2align 3\n"
	".globl __capbox_ctors_end\n"
	".hidden __capbox_ctors_end\n"
	".type __capbox_ctors_end,@object\n"
	".size __capbox_ctors_end,8\n"
	"__capbox_ctors_end:\n"
	".quad 0\n"
	".previous\n");
