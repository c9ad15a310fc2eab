--top-module fifo_sync
-GWIDTH=8
-GAW=4
rtl/ram_sdp.v
rtl/fifo_sync.v
${PWD}/tests/rtl/fifo_sync/tb.cpp
