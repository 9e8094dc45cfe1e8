package sim

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Memory is what a run needs and what the machine has, in bytes.
type Memory struct {
	// Need is the estimated peak: the models built at once, the chains and the
	// measurement buffers.
	Need int64
	// Detail says what Need is made of.
	Detail string
	// Available is the memory the run may use: the smaller of the kernel's
	// MemAvailable and what the process's cgroup limit leaves; 0 when unknown.
	Available int64
	// Source says where Available comes from.
	Source string
}

// String describes the need and the availability in GiB.
func (m Memory) String() string {
	s := fmt.Sprintf("needs about %s (%s)", gib(m.Need), m.Detail)
	if m.Available > 0 {
		s += fmt.Sprintf("; %s available (%s)", gib(m.Available), m.Source)
	}
	return s
}

func gib(b int64) string { return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30)) }

// Per-spin bytes of one chain: the spins, the float scratch of the dense kernels,
// the acceptance thresholds and the cluster samplers' marks and lists. A packed
// chain holds one 64-bit word per spin and 64 lanes.
const (
	chainBytesPerSpin = 32
	runBaseBytes      = 64 << 20 // the Go runtime, buffers and results
)

// EstimateMemory estimates the peak memory of running c with the given number of
// threads (0: GOMAXPROCS), before anything is allocated, and reads what the machine
// has. Models read from files (graph) are not counted: their size is bounded by the
// file's.
func EstimateMemory(c Config, threads int) Memory {
	c.Defaults()
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	var mem Memory
	m, ok := LookupModel(c.Model)
	if !ok || m.Size == nil {
		mem.Need = runBaseBytes
		mem.Detail = "model read from a file, not counted"
	} else {
		spins, modelBytes := m.Size(c)
		models := int64(1)
		if m.Disorder {
			// Units of up to `threads` samples run at once, and sample 0's model is kept.
			models = int64(min(threads, c.Samples)) + 1
			if c.Samples == 1 {
				models = 1
			}
		}
		chains := int64(c.Replicas)
		if c.Sampler == "pt" {
			chains *= int64(len(c.T))
		} else {
			chains *= int64(min(threads, max(1, len(c.T)*c.Samples)))
		}
		perChain := int64(spins) * chainBytesPerSpin
		if c.Packed {
			perChain = int64(spins) * 8 * int64(max(1, c.Lanes/64)) * 2
		}
		if c.Sampler == "pa" {
			chains, perChain = paMemory(c, spins)
		}
		mem.Need = models*modelBytes + chains*perChain + runBaseBytes
		mem.Detail = fmt.Sprintf("%d model(s) of %d spins at %s each, %d chain(s) at %s each", models, spins,
			gib(modelBytes), chains, gib(perChain))
	}
	mem.Available, mem.Source = availableMemory()
	return mem
}

// checkMemory refuses a run that would not fit in the memory available.
func checkMemory(c Config, threads int) error {
	mem := EstimateMemory(c, threads)
	if mem.Available > 0 && mem.Need > mem.Available {
		return &InputError{fmt.Errorf("this run %s: it would run out of memory; use fewer spins, samples or threads", mem)}
	}
	return nil
}

// availableMemory returns the memory this process may still use (a variable so that
// tests can pretend a smaller machine).
var availableMemory = machineMemory

// machineMemory returns the memory this process may still use: MemAvailable from
// /proc/meminfo, lowered to the headroom of its cgroup's limit (v2 memory.max −
// memory.current, or v1 memory.limit_in_bytes − usage_in_bytes). It returns 0 when
// neither is readable (not Linux).
func machineMemory() (int64, string) {
	avail, source := int64(0), ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemAvailable:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					avail, source = kb<<10, "MemAvailable"
				}
			}
		}
	}
	for _, p := range [][2]string{
		{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
		{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"},
	} {
		limit, ok1 := readInt(p[0])
		used, ok2 := readInt(p[1])
		if !ok1 || !ok2 || limit <= 0 || limit >= 1<<60 {
			continue
		}
		if room := limit - used; avail == 0 || room < avail {
			avail, source = room, fmt.Sprintf("cgroup limit %s, %s in use", gib(limit), gib(used))
		}
		break
	}
	return avail, source
}

// readInt reads a file holding one integer ("max" or garbage: not ok).
func readInt(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return v, err == nil
}
