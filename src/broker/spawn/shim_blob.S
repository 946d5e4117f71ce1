/* shim_blob.S: embeds the built shim executable in the broker. */
	.section .rodata, "a"
	.balign 16
	.globl capbox_shim_image
	.hidden capbox_shim_image
capbox_shim_image:
	.incbin CAPBOX_SHIM_PATH
	.globl capbox_shim_image_end
	.hidden capbox_shim_image_end
capbox_shim_image_end:

	.section .note.GNU-stack, "", @progbits
