// vcard.cpp - the thin C++ layer that drives the Verilated card_top (see vcard.h)
//
// Two Verilated models of the same RTL are linked in: Vcard_top (VCARD_SPANS spans at
// the default CORE_HZ, 3.088 MHz) and Vcard28 (VCARD_WIDE_SPANS spans at VCARD_WIDE_HZ,
// 24.704 MHz).  One template drives either.
//
// SPDX-License-Identifier: MIT
#include "vcard.h"

#include <cstdio>
#include <memory>

#include "Vcard28.h"
#include "Vcard_top.h"
#include "verilated.h"
#ifdef VCARD_TRACE
#include "verilated_fst_c.h"
#endif

#ifndef VCARD_SPANS
#define VCARD_SPANS 2
#endif
#ifndef VCARD_WIDE_SPANS
#define VCARD_WIDE_SPANS 28
#endif
#ifndef VCARD_WIDE_HZ
#define VCARD_WIDE_HZ 24704000u
#endif
#define VCARD_NARROW_HZ 3088000u	// card_top's default CORE_HZ

struct vcard {
    std::unique_ptr<VerilatedContext> ctx;
#ifdef VCARD_TRACE
    std::unique_ptr<VerilatedFstC> fst;
#endif
    uint64_t cycles = 0;
    unsigned spans = 0;
    uint32_t core_hz = 0;
    virtual ~vcard() = default;
    virtual void cycle(const struct vcard_in *in, struct vcard_out *out) = 0;
    virtual void final() = 0;
};

template <class T> struct vcard_model : vcard {
    std::unique_ptr<T> top;

    bool open(int argc, char **argv, const char *fst_path)
    {
        ctx = std::make_unique<VerilatedContext>();
        ctx->commandArgs(argc, argv);
#ifdef VCARD_TRACE
        if (fst_path)
            ctx->traceEverOn(true);
#endif
        top = std::make_unique<T>(ctx.get(), "card");
#ifdef VCARD_TRACE
        if (fst_path) {
            fst = std::make_unique<VerilatedFstC>();
            top->trace(fst.get(), 99);
            fst->open(fst_path);
        }
#else
        if (fst_path) {
            fprintf(stderr, "dialback-sim: this build has no waveform support (make VCARD_TRACE=1)\n");
            return false;
        }
#endif
        top->clk = 0;
        top->eval();
        return true;
    }

    void final() override { top->final(); }

    void cycle(const struct vcard_in *in, struct vcard_out *out) override
    {
        T *t = top.get();

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
        if (fst)
            fst->dump(cycles * 2);
#endif
        t->clk = 1;
        t->eval();
#ifdef VCARD_TRACE
        if (fst)
            fst->dump(cycles * 2 + 1);
#endif
        cycles++;

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
};

extern "C" unsigned vcard_narrow_spans(void) { return VCARD_SPANS; }
extern "C" unsigned vcard_max_spans(void) { return VCARD_WIDE_SPANS > VCARD_SPANS ? VCARD_WIDE_SPANS : VCARD_SPANS; }
extern "C" unsigned vcard_spans(const struct vcard *v) { return v->spans; }
extern "C" uint32_t vcard_core_hz(const struct vcard *v) { return v->core_hz; }

template <class T> static vcard *open_model(unsigned spans, uint32_t hz, int argc, char **argv,
                                            const char *fst_path)
{
    auto *m = new vcard_model<T>;

    m->spans = spans;
    m->core_hz = hz;
    if (!m->open(argc, argv, fst_path)) {
        delete m;
        return nullptr;
    }
    return m;
}

extern "C" struct vcard *vcard_new(unsigned spans, int argc, char **argv, const char *fst_path)
{
    if (spans <= VCARD_SPANS)
        return open_model<Vcard_top>(VCARD_SPANS, VCARD_NARROW_HZ, argc, argv, fst_path);
    if (spans <= VCARD_WIDE_SPANS)
        return open_model<Vcard28>(VCARD_WIDE_SPANS, VCARD_WIDE_HZ, argc, argv, fst_path);
    return nullptr;
}

extern "C" void vcard_free(struct vcard *v)
{
    if (!v)
        return;
    v->final();
#ifdef VCARD_TRACE
    if (v->fst)
        v->fst->close();
#endif
    delete v;
}

extern "C" uint64_t vcard_cycles(const struct vcard *v) { return v->cycles; }

extern "C" void vcard_cycle(struct vcard *v, const struct vcard_in *in, struct vcard_out *out)
{
    v->cycle(in, out);
}
