/*
 * fuzz_config.c - the IOS configuration parser on arbitrary text
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nas_config *cfg = NULL;
	char buf[64];

	if (config_parse((const char *)data, size, "fuzz", &cfg, NULL) == 0) {
		const struct cfg_interface *ifc = config_find_interface(cfg, "Async1");
		(void)config_interface_address(cfg, ifc);
		(void)config_find_tty_line(cfg, 1);
		config_free(cfg);
	}
	if (size < 40) {
		char in[41];
		memcpy(in, data, size);
		in[size] = 0;
		(void)config_type7_decode(in, buf, sizeof(buf));
	}
	return 0;
}
