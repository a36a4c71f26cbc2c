-- The anchors' PUT load for wrk (../shared/anchors/kv/put.lua, read from $KV_BENCH_DIR) on the keys k0..k<N-1> that
-- bench_kv_warmup writes (put.lua's own keys are k000000..): every PUT rewrites a warm key with a random 64-byte value.
-- Usage: KV_BENCH_DIR=../shared/anchors/kv wrk -t2 -c16 -d15s -s bench/kv-put.lua URL -- 20000
dofile((os.getenv("KV_BENCH_DIR") or ".") .. "/put.lua")
function kv_key(i) return "k" .. i end
