/*
 * tb.cpp - fcs16/fcs32 against drivers/card_msg.c and RFC 1662's constants
 *
 * Every octet value from every sampled register value, random streams, the
 * standard check values of "123456789" (FCS-16 0x906E, FCS-32 0xCBF43926)
 * and the good residues 0xF0B8 / 0xDEBB20E3 over data + FCS.
 *
 * SPDX-License-Identifier: MIT
 */
#include <cstdio>
#include <memory>
#include <random>
#include <vector>

#include "Vfcs_tb_top.h"
#include "verilated.h"

#include "card_msg.h"

static int fails;
#define CHECK(c, ...) do { if (!(c)) { if (fails++ < 20) { fprintf(stderr, "FAIL line %d: ", __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } } while (0)

static std::unique_ptr<Vfcs_tb_top> top;

static uint16_t rtl16(uint16_t c, uint8_t d) { top->c16_in = c; top->data = d; top->eval(); return top->c16_out; }
static uint32_t rtl32(uint32_t c, uint8_t d) { top->c32_in = c; top->data = d; top->eval(); return top->c32_out; }

int main(int argc, char **argv)
{
	auto ctx = std::make_unique<VerilatedContext>();
	ctx->commandArgs(argc, argv);
	top.reset(new Vfcs_tb_top{ctx.get()});
	std::mt19937 rng(7);
	long n = 0;

	for (int k = 0; k < 2000; k++) {
		uint16_t c16 = (uint16_t)rng();
		uint32_t c32 = rng();
		for (int d = 0; d < 256; d++) {
			uint8_t b = (uint8_t)d;
			CHECK(rtl16(c16, b) == fcs16_update(c16, &b, 1), "fcs16 %04x %02x", c16, b);
			CHECK(rtl32(c32, b) == fcs32_update(c32, &b, 1), "fcs32 %08x %02x", c32, b);
			n += 2;
		}
	}
	const uint8_t chk[] = "123456789";
	uint16_t f16 = 0xFFFF;
	uint32_t f32 = 0xFFFFFFFF;
	for (int i = 0; i < 9; i++) {
		f16 = rtl16(f16, chk[i]);
		f32 = rtl32(f32, chk[i]);
	}
	CHECK((uint16_t)~f16 == 0x906E, "FCS-16 check value %04x", (uint16_t)~f16);
	CHECK(~f32 == 0xCBF43926u, "FCS-32 check value %08x", ~f32);

	for (int k = 0; k < 500; k++) {
		std::vector<uint8_t> d(rng() % 300);
		for (auto &x : d)
			x = (uint8_t)rng();
		uint16_t a = 0xFFFF;
		uint32_t b = 0xFFFFFFFF;
		for (uint8_t x : d) {
			a = rtl16(a, x);
			b = rtl32(b, x);
		}
		uint16_t t16 = (uint16_t)~a;
		uint32_t t32 = ~b;
		a = rtl16(a, (uint8_t)t16);
		a = rtl16(a, (uint8_t)(t16 >> 8));
		for (int i = 0; i < 4; i++)
			b = rtl32(b, (uint8_t)(t32 >> (8 * i)));
		CHECK(a == FCS16_GOOD, "FCS-16 residue %04x", a);
		CHECK(b == FCS32_GOOD, "FCS-32 residue %08x", b);
		n += 2;
	}
	printf("fcs: %s, %ld checks, %d failures\n", fails ? "FAIL" : "PASS", n, fails);
	top->final();
	top.reset();	/* before the context goes */
	return fails ? 1 : 0;
}
