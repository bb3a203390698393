#!/usr/bin/env python3
"""Summarises a JFR recording of jctl under load: where the CPU samples are, by thread, method and cost category.

    jfr-summary.py RECORDING.jfr [--top N] [--ios N]

Reads `jfr print` text output (JSON is too large at this sampling rate). Execution samples are Java frames of
threads that were running; threads parked or in native code (epoll_wait, socket calls) show up under native
samples instead. Categories count a sample once if any of its frames matches, so they overlap. Allocation is given
twice: exactly per thread (jdk.ThreadAllocationStatistics at the recording's start and end; per I/O with --ios, the
I/Os done during the recording) and as JFR's samples by class and site (weights are estimates; one sample can stand
for a whole TLAB).
"""
import re
import subprocess
import sys
from collections import Counter, defaultdict

CATEGORIES = [
    ("socket read syscall", r"sun\.nio\.ch\.(SocketDispatcher\.read|IOUtil\.read|SocketChannelImpl\.read)|Native\.read"),
    ("socket write syscall", r"sun\.nio\.ch\.(SocketDispatcher\.write|IOUtil\.write|SocketChannelImpl\.write)|writev"),
    ("selector / epoll", r"sun\.nio\.ch\.(EPoll|SelectorImpl|EPollSelectorImpl)|NioEventLoop\.select"),
    ("thread hop: enqueue + wake", r"SingleThreadEventExecutor\.(execute|wakeup)|NioEventLoop\.wakeup|"
                                   r"ThreadPoolExecutor\.execute|LinkedBlockingQueue\.(offer|put)|LockSupport\.unpark"),
    ("thread hop: queue take/park", r"LinkedBlockingQueue\.take|LockSupport\.park|getTask"),
    ("event loop: hopped tasks", r"SingleThreadEventExecutor\.runAllTasks"),
    ("buffer alloc/free (pool)", r"io\.netty\.buffer\.(Pool|PooledByteBufAllocator|AbstractByteBufAllocator)|"
                                 r"PooledByteBuf\.deallocate"),
    ("byte copies", r"(writeBytes|getBytes|setBytes|copyMemory|arraycopy|writeZero|setZero)\b"),
    ("CRC32C", r"CRC32C|Crc32c"),
    ("PDU decode (framing)", r"io\.jctl\.iscsi\.pdu\.PduDecoder|ByteToMessageDecoder"),
    ("PDU encode", r"io\.jctl\.iscsi\.pdu\.PduEncoder|MessageToMessageEncoder"),
    ("composite / wrapped buffers", r"CompositeByteBuf|Unpooled\.wrappedBuffer|decompose"),
    ("flush / outbound buffer", r"ChannelOutboundBuffer|FlushConsolidationHandler|AbstractChannel\$AbstractUnsafe\.flush|"
                                r"NioSocketChannel\.doWrite"),
    ("iSCSI session (ScsiCommands/Connection)", r"io\.jctl\.iscsi\.session\."),
    ("core dispatch (Dispatcher.submit)", r"io\.jctl\.core\.dispatch\.Dispatcher\.submit"),
    ("OOA task set", r"io\.jctl\.core\.serial\.TaskSet"),
    ("SCSI handler run (ActiveCommand.run)", r"io\.jctl\.core\.dispatch\.ActiveCommand\.run"),
    ("RAM disk / block backend", r"io\.jctl\.backend\."),
    ("statistics", r"io\.jctl\.core\.stats\.|IoStats"),
    ("CompletableFuture", r"java\.util\.concurrent\.CompletableFuture"),
    ("logging / MDC", r"org\.slf4j|ch\.qos\.logback|MDC"),
    ("reference counting / leak detector", r"ReferenceCountUtil|AbstractReferenceCountedByteBuf|ResourceLeakDetector"),
    ("locks (synchronized / AQS)", r"AbstractQueuedSynchronizer|ReentrantLock|ObjectMonitor"),
]


def jfr_print(path, events, depth=64):
    out = subprocess.run(["jfr", "print", "--events", events, "--stack-depth", str(depth), path],
                         capture_output=True, text=True, check=True).stdout
    return parse(out)


def parse(text):
    """Yields dicts: type, fields (str), frames (list of 'pkg.Class.method')."""
    events = []
    cur = None
    in_stack = False
    for line in text.splitlines():
        m = re.match(r"^(jdk\.\w+) \{$", line)
        if m:
            cur = {"type": m.group(1), "frames": []}
            in_stack = False
            continue
        if cur is None:
            continue
        if line == "}":
            events.append(cur)
            cur = None
            continue
        s = line.strip()
        if in_stack:
            if s == "]":
                in_stack = False
            elif s != "...":
                cur["frames"].append(re.sub(r"\(.*$", "", s))
            continue
        if s.startswith("stackTrace = ["):
            in_stack = True
            continue
        kv = re.match(r"^(\w+) = (.*)$", s)
        if kv:
            cur[kv.group(1)] = kv.group(2)
    return events


def thread_group(field):
    m = re.match(r'^"([^"]*)"', field or "")
    name = m.group(1) if m else "?"
    return re.sub(r"(-\d+)+$", "", name)


def weight_bytes(w):
    m = re.match(r"([\d.]+) (bytes|kB|MB|GB)", w or "")
    if not m:
        return 0.0
    return float(m.group(1)) * {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[m.group(2)]


def duration_ms(d):
    m = re.match(r"([\d.]+) (ns|us|ms|s)", d or "")
    if not m:
        return 0.0
    return float(m.group(1)) * {"ns": 1e-6, "us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)]


def pct(n, total):
    return f"{n / total * 100:5.1f}%" if total else "  NA "


def first_own(frames):
    for f in frames:
        if f.startswith("io.jctl."):
            return f
    return frames[0] if frames else "?"


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    path = args[0]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 25

    samples = jfr_print(path, "jdk.ExecutionSample")
    total = len(samples)
    print(f"JFR {path}: {total} execution samples (Java frames of running threads)")
    by_thread = Counter(thread_group(s.get("sampledThread")) for s in samples)
    print("\nsamples by thread:")
    for t, n in by_thread.most_common():
        print(f"  {pct(n, total)} {n:6d}  {t}")

    print(f"\nhottest methods, self (top frame), top {top}:")
    for f, n in Counter(s["frames"][0] if s["frames"] else "?" for s in samples).most_common(top):
        print(f"  {pct(n, total)} {n:6d}  {f}")

    print(f"\nhottest jctl/netty methods, inclusive (on the stack), top {top}:")
    incl = Counter()
    for s in samples:
        for f in set(s["frames"]):
            if f.startswith(("io.jctl.", "io.netty.", "sun.nio.", "java.util.concurrent.", "java.util.zip.")) \
                    and not re.search(r"(run|runWorker|FastThreadLocalRunnable|ThreadExecutorMap\$2\.run|"
                                      r"NioEventLoop\.(run|processSelectedKeys\w*))$", f):
                incl[f] += 1
    for f, n in incl.most_common(top):
        print(f"  {pct(n, total)} {n:6d}  {f}")

    print("\ncost categories (a sample counts in every category one of its frames matches):")
    cat = Counter()
    cat_thread = defaultdict(Counter)
    for s in samples:
        stack = "\n".join(s["frames"])
        for name, rx in CATEGORIES:
            if re.search(rx, stack):
                cat[name] += 1
                cat_thread[name][thread_group(s.get("sampledThread"))] += 1
    for name, _ in CATEGORIES:
        if cat[name]:
            where = ", ".join(f"{t} {n}" for t, n in cat_thread[name].most_common(3))
            print(f"  {pct(cat[name], total)} {cat[name]:6d}  {name:40s} ({where})")

    native = jfr_print(path, "jdk.NativeMethodSample", 8)
    if native:
        print(f"\nnative samples (threads in native code: syscalls, mostly waiting), {len(native)}:")
        c = Counter((thread_group(s.get("sampledThread")), s["frames"][0] if s["frames"] else "?") for s in native)
        for (t, f), n in c.most_common(8):
            print(f"  {pct(n, len(native))} {n:6d}  {t}: {f}")

    stats = jfr_print(path, "jdk.ThreadAllocationStatistics", 1)
    if stats:
        first, last = {}, {}
        for e in stats:
            t = (e.get("thread") or "?").split(" (")[0].strip('"')
            w = weight_bytes(e.get("allocated"))
            first.setdefault(t, w)
            last[t] = w
        grown = Counter()
        for t in last:
            grown[thread_group('"' + t + '"')] += last[t] - first[t]
        ios = int(args[args.index("--ios") + 1]) if "--ios" in args else 0
        print("\nallocated during the recording, exact, by thread" + (f" (per I/O: {ios} I/Os)" if ios else "") + ":")
        for t, w in grown.most_common(6):
            if w > 0:
                print(f"  {w / 1e6:9.1f} MB" + (f" {w / ios:8.0f} bytes/IO" if ios else "") + f"  {t}")

    alloc = jfr_print(path, "jdk.ObjectAllocationSample", 16)
    if alloc:
        tot = sum(weight_bytes(a.get("weight")) for a in alloc)
        print(f"\nallocation (sampled weight, {tot / 1e6:.0f} MB in the recording) by class, top 15:")
        by_class = Counter()
        by_site = Counter()
        for a in alloc:
            w = weight_bytes(a.get("weight"))
            by_class[re.sub(r" \(classLoader.*$", "", a.get("objectClass", "?"))] += w
            by_site[first_own(a["frames"])] += w
        for k, w in by_class.most_common(15):
            print(f"  {pct(w, tot)} {w / 1e6:8.1f} MB  {k}")
        print("allocation by the first jctl frame on the stack, top 15:")
        for k, w in by_site.most_common(15):
            print(f"  {pct(w, tot)} {w / 1e6:8.1f} MB  {k}")

    for ev, label in (("jdk.JavaMonitorEnter", "contended monitor enters"), ("jdk.ThreadPark", "thread parks")):
        evs = jfr_print(path, ev, 12)
        if not evs:
            continue
        total_ms = sum(duration_ms(e.get("duration")) for e in evs)
        print(f"\n{label} (recorded above the threshold): {len(evs)}, {total_ms:.0f} ms in all; by thread and site:")
        c = Counter()
        n = Counter()
        for e in evs:
            key = (thread_group(e.get("eventThread")), first_own(e["frames"]) if ev == "jdk.JavaMonitorEnter"
                   else next((f for f in e["frames"] if not f.startswith(("jdk.internal", "java.util.concurrent.locks"))),
                             "?"))
            c[key] += duration_ms(e.get("duration"))
            n[key] += 1
        for (t, f), ms in c.most_common(8):
            print(f"  {ms:9.0f} ms {n[(t, f)]:6d}x  {t}: {f}")


if __name__ == "__main__":
    main()
