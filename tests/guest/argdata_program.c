/* capbox-test-args: --str greeting=hello --int count=3 */
/* argdata_program.c: program_main receives the launcher's argdata map (out, greeting, count). */
#include <argdata.h>
#include <program.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guest.h"

void program_main(const argdata_t *ad)
{
	check_out_fd = guest_out_fd(ad);

	enum argdata_type type;
	CHECK(argdata_get_type(*ad, &type) == ARGDATA_OK &&
		      type == ARGDATA_TYPE_MAP,
	      "the argdata is a map");
	CHECK(argdata_validate(*ad) == ARGDATA_OK,
	      "the argdata is well formed");

	/* Every key is a string; "out" is among them. */
	struct argdata_iter it;
	argdata_t key, value;
	int r, nkeys = 0, saw_out = 0;
	CHECK(argdata_map_iter(*ad, &it) == ARGDATA_OK, "map iteration starts");
	while ((r = argdata_map_next(&it, &key, &value)) == ARGDATA_OK) {
		const char *k = NULL;
		nkeys++;
		if (argdata_get_str_c(key, &k) == ARGDATA_OK &&
		    strcmp(k, "out") == 0)
			saw_out = 1;
	}
	CHECK_EQ(r, ARGDATA_END, "map iteration ends cleanly");
	CHECK(saw_out, "the map has the key \"out\" (%d keys)", nkeys);

	const char *greeting = NULL;
	if (argdata_map_find(*ad, "greeting", strlen("greeting"), &value) ==
	    ARGDATA_OK) {
		CHECK(argdata_get_str_c(value, &greeting) == ARGDATA_OK,
		      "greeting is a string");
		CHECK(greeting != NULL && strcmp(greeting, "hello") == 0,
		      "greeting is \"hello\" (got \"%s\")",
		      greeting != NULL ? greeting : "(none)");
	} else {
		CHECK(0, "greeting was passed (capbox-test-args)");
	}

	int64_t count = -1;
	if (argdata_map_find(*ad, "count", strlen("count"), &value) ==
	    ARGDATA_OK) {
		CHECK(argdata_get_int64(value, &count) == ARGDATA_OK,
		      "count is an int");
		CHECK_EQ(count, 3, "count is 3");
	} else {
		CHECK(0, "count was passed (capbox-test-args)");
	}

	CHECK(argdata_map_find(*ad, "absent", strlen("absent"), &value) ==
		      ARGDATA_ENOENT,
	      "a missing key is ENOENT");
	exit(check_done());
}
