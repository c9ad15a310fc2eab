/*
 * fuzz_config_write.c - `show running-config` on whatever the parser accepts: the
 * written text must parse again, and writing that gives the same text (a fixed point)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static char *write_body(const struct nas_config *cfg, size_t *len)
{
	char *buf = NULL, *body;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		abort();
	if (config_write(cfg, f) != 0)
		abort();
	fclose(f);
	body = strstr(buf, "bytes\n");
	if (!body)
		abort();
	body += 6;
	*len = n - (size_t)(body - buf);
	memmove(buf, body, *len + 1);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nas_config *cfg = NULL, *again = NULL;
	char *one, *two;
	size_t l1, l2;

	if (config_parse((const char *)data, size, "fuzz", &cfg, NULL) != 0)
		return 0;
	one = write_body(cfg, &l1);
	if (config_parse(one, l1, "running", &again, NULL) != 0) {
		fprintf(stderr, "running-config does not parse:\n%s", one);
		abort();
	}
	two = write_body(again, &l2);
	if (l1 != l2 || memcmp(one, two, l1) != 0) {
		fprintf(stderr, "not a fixed point:\n--- first\n%s--- second\n%s", one, two);
		abort();
	}
	free(one);
	free(two);
	config_free(again);
	config_free(cfg);
	return 0;
}
