// vcard.cpp - the thin C++ layer that drives the Verilated card_top (see vcard.h)
//
// SPDX-License-Identifier: MIT
#include "vcard.h"

#include <cstdio>
#include <memory>

#include "Vcard_top.h"
#include "verilated.h"
#ifdef VCARD_TRACE
#include "verilated_fst_c.h"
#endif

#ifndef VCARD_SPANS
#define VCARD_SPANS 2
#endif

struct vcard {
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Vcard_top> top;
#ifdef VCARD_TRACE
    std::unique_ptr<VerilatedFstC> fst;
#endif
    uint64_t cycles = 0;
};

extern "C" unsigned vcard_spans(void) { return VCARD_SPANS; }

extern "C" struct vcard *vcard_new(int argc, char **argv, const char *fst_path)
{
    auto *v = new vcard;
    v->ctx = std::make_unique<VerilatedContext>();
    v->ctx->commandArgs(argc, argv);
#ifdef VCARD_TRACE
    if (fst_path)
        v->ctx->traceEverOn(true);
#endif
    v->top = std::make_unique<Vcard_top>(v->ctx.get(), "card");
#ifdef VCARD_TRACE
    if (fst_path) {
        v->fst = std::make_unique<VerilatedFstC>();
        v->top->trace(v->fst.get(), 99);
        v->fst->open(fst_path);
    }
#else
    if (fst_path) {
        fprintf(stderr, "dialback-sim: this build has no waveform support (make VCARD_TRACE=1)\n");
        v->top.reset();
        delete v;
        return nullptr;
    }
#endif
    v->top->clk = 0;
    v->top->eval();
    return v;
}

extern "C" void vcard_free(struct vcard *v)
{
    if (!v)
        return;
    v->top->final();
#ifdef VCARD_TRACE
    if (v->fst)
        v->fst->close();
#endif
    delete v;
}

extern "C" uint64_t vcard_cycles(const struct vcard *v) { return v->cycles; }

extern "C" void vcard_cycle(struct vcard *v, const struct vcard_in *in, struct vcard_out *out)
{
    Vcard_top *t = v->top.get();

    // inputs change away from the sampling edge (clk low), then the rising edge
    t->ft_data_in = in->ft_data;
    t->ft_rxf_n = in->ft_rxf_n;
    t->ft_txe_n = in->ft_txe_n;
    t->liu_rpos = in->liu_rpos;
    t->liu_rneg = in->liu_rneg;
    t->liu_rclk = in->liu_rclk;
    t->rst = in->rst;
    t->clk = 0;
    t->eval();
#ifdef VCARD_TRACE
    if (v->fst)
        v->fst->dump(v->cycles * 2);
#endif
    t->clk = 1;
    t->eval();
#ifdef VCARD_TRACE
    if (v->fst)
        v->fst->dump(v->cycles * 2 + 1);
#endif
    v->cycles++;

    out->ft_data = t->ft_data_out;
    out->ft_data_oe = t->ft_data_oe;
    out->ft_rd_n = t->ft_rd_n;
    out->ft_wr_n = t->ft_wr_n;
    out->ft_oe_n = t->ft_oe_n;
    out->ft_siwu_n = t->ft_siwu_n;
    out->liu_tpos = t->liu_tpos;
    out->liu_tneg = t->liu_tneg;
    out->liu_tclk = t->liu_tclk;
}
