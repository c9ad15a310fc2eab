/*
 * dialbackctl.c - the operator's CLI: sends one command to dialbackd's control socket
 * and prints the answer
 *
 *   dialbackctl [-s SOCKET] show users
 *   dialbackctl debug ppp negotiation
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/dialbackd.sock"

int main(int argc, char **argv)
{
	const char *path = getenv("DIALBACKD_SOCKET") ? getenv("DIALBACKD_SOCKET") : DEFAULT_SOCKET;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char line[512] = "", buf[4096];
	int argi = 1, fd;
	ssize_t n;

	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		path = argv[2];
		argi = 3;
	}
	if (argi >= argc || strcmp(argv[argi], "-h") == 0) {
		fprintf(stderr, "usage: dialbackctl [-s SOCKET] COMMAND...  (e.g. show users)\n");
		return 2;
	}
	for (int i = argi; i < argc; i++) {
		if (strlen(line) + strlen(argv[i]) + 2 >= sizeof(line)) {
			fprintf(stderr, "dialbackctl: command too long\n");
			return 2;
		}
		strcat(line, argv[i]);
		strcat(line, i + 1 < argc ? " " : "\n");
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "dialbackctl: socket path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "dialbackctl: cannot reach dialbackd at %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (write(fd, line, strlen(line)) < 0) {
		fprintf(stderr, "dialbackctl: write: %s\n", strerror(errno));
		return 1;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}
