-- wrk script of bench/http.sh: the paths of the file PATHS in turn, each of wrk's
-- threads (WRK_THREADS, default 2, as lib.sh runs it) taking every Nth, so that one
-- pass over the list asks each path once, as distinct searches are asked. With ONCE=1
-- each thread sends its share once and stops, and done() prints "pass: RESPONSES
-- responses in SECONDS s" (wrk's own requests/s divide by the whole -d).
local threads = {}
function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end
local paths, mine, i, once = {}, {}, 0, false
asked, got = 0, 0 -- globals, as are t0 and t1: done() reads them (thread:get)
local function now()
    local f = io.popen("date +%s.%N")
    local s = f:read("*l")
    f:close()
    return tonumber(s)
end
function init()
    local n = tonumber(os.getenv("WRK_THREADS") or "") or 2
    once = os.getenv("ONCE") == "1"
    if not once then delay = nil end -- no timer before each request of a timed run
    for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
    for k = id + 1, #paths, n do mine[#mine + 1] = paths[k] end
end
-- Called before each request is sent (wrk also calls request() once to check it).
function delay()
    if once and asked >= #mine then return 3600000 end -- its share sent: no more
    if asked == 0 then t0 = now() end
    asked = asked + 1
    return 0
end
function request()
    i = i % #mine + 1
    return wrk.format("GET", mine[i])
end
function response()
    got = got + 1
    if once and got == #mine then
        t1 = now()
        wrk.thread:stop()
    end
end
function done()
    local a, b, n = math.huge, 0, 0
    for _, t in ipairs(threads) do
        if not t:get("t1") then return end
        a = math.min(a, t:get("t0"))
        b = math.max(b, t:get("t1"))
        n = n + t:get("got")
    end
    io.write(string.format("pass: %d responses in %.3f s\n", n, b - a))
end
