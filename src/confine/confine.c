/* confine.c: the names of the optional confinement layers and the --require-all-layers switch. */
#include "confine/confine.h"

bool confine_require_all_layers;

const char *confine_layer_name(enum confine_layer layer)
{
	static const char *const names[CONFINE_NLAYERS] = {
		[CONFINE_NAMESPACES] = "user namespaces",
		[CONFINE_EMPTY_ROOT] = "empty root directory",
		[CONFINE_LANDLOCK] = "Landlock",
	};
	return (unsigned)layer < CONFINE_NLAYERS ? names[layer] : "?";
}
