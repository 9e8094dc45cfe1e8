//go:build unix

package sim

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// killWriterEnv names the directory TestHelperCheckpointWriter writes to; it is set only
// in the child processes of TestCheckpointSurvivesKill. With killNoLinkEnv set too, the
// writer rotates checkpoints as on a file system without hard links.
const (
	killWriterEnv = "DEEPGLASS_TEST_CHECKPOINT_WRITER_DIR"
	killNoLinkEnv = "DEEPGLASS_TEST_CHECKPOINT_WRITER_NOLINK"
)

var killConfigHash = ConfigHash(Config{Model: "ising", Lattice: "square:8", T: Temperatures{2.269},
	Sampler: "wolff", Sweeps: 100, Seed: 7})

// killPayload returns the content of checkpoint number seq: a few MB, of a length that
// depends on seq, made of 64 kB of pseudo-random bytes from a stream seeded by seq,
// repeated, each copy stamped with its offset. (Drawing every byte takes too long
// under the race detector.)
func killPayload(seq uint64) []byte {
	const blockLen = 64 << 10
	block := make([]byte, blockLen)
	src := rand.NewPCG(seq, 0xc4ec)
	for i := 0; i < len(block); i += 8 {
		binary.LittleEndian.PutUint64(block[i:], src.Uint64())
	}
	b := make([]byte, (48+seq%8)*blockLen)
	for i := 0; i < len(b); i += blockLen {
		copy(b[i:], block)
		binary.LittleEndian.PutUint64(b[i:], uint64(i))
	}
	return b
}

// killCheckpoint returns checkpoint number seq, every part of which follows from seq.
func killCheckpoint(seq uint64) *Checkpoint {
	var e Encoder
	e.PutUint64(seq)
	return &Checkpoint{
		ConfigHash: killConfigHash,
		Version:    Version,
		Created:    time.Unix(1.7e9+int64(seq), int64(seq)),
		Sections:   map[string][]byte{"seq": e.Bytes(), "payload": killPayload(seq)},
	}
}

// killSeq returns the number of a checkpoint made by killCheckpoint, after checking that
// the whole of it is consistent with that number.
func killSeq(t *testing.T, ck *Checkpoint) uint64 {
	t.Helper()
	d := ck.Decoder("seq")
	seq := d.GetUint64()
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	want := killCheckpoint(seq)
	if !sameCheckpoint(ck, want) {
		t.Fatalf("checkpoint %d is inconsistent: %v; want %v", seq, ck, want)
	}
	return seq
}

// TestHelperCheckpointWriter is not a test: run by TestCheckpointSurvivesKill as a child
// process, it resumes from the checkpoint in its directory and writes checkpoints with
// increasing numbers as fast as it can until it is killed.
func TestHelperCheckpointWriter(t *testing.T) {
	dir := os.Getenv(killWriterEnv)
	if dir == "" {
		t.Skip("helper process of TestCheckpointSurvivesKill")
	}
	path := filepath.Join(dir, "checkpoint.bin")
	ck, err := ReadCheckpoint(path, killConfigHash)
	if err != nil {
		t.Fatal(err)
	}
	seq := killSeq(t, ck)
	link := os.Getenv(killNoLinkEnv) == ""
	os.Stdout.WriteString("ready\n")
	// Stop on our own if the parent never kills us.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		seq++
		if err := writeCheckpoint(path, killCheckpoint(seq), link); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCheckpointSurvivesKill kills a process that writes checkpoints in a tight loop
// with SIGKILL at random moments, and checks each time that ReadCheckpoint still finds
// a complete, consistent checkpoint, never older than the one found before. Writers
// rotate with hard links or, at random, as on a file system without them; only the
// latter may leave checkpoint.bin missing, so that ReadCheckpoint falls back to
// checkpoint.bin.prev.
func TestCheckpointSurvivesKill(t *testing.T) {
	kills := 30
	if testing.Short() {
		kills = 8
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "checkpoint.bin")
	// Scale the delays before the kills to the time a writer takes per checkpoint,
	// which the race detector or a busy machine multiplies.
	start := time.Now()
	if err := WriteCheckpoint(path, killCheckpoint(0)); err != nil {
		t.Fatal(err)
	}
	cycle := min(max(time.Since(start), 5*time.Millisecond), 300*time.Millisecond)
	src := rand.New(rand.NewPCG(2025, 11))
	var last uint64
	var fellBack, noLink int
	for k := range kills {
		link := src.IntN(2) == 0
		_, err := os.Stat(path)
		hadPath := err == nil // a writer without hard links may have left none
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperCheckpointWriter$", "-test.count=1")
		cmd.Env = append(os.Environ(), killWriterEnv+"="+dir)
		if !link {
			noLink++
			cmd.Env = append(cmd.Env, killNoLinkEnv+"=1")
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := false
		for sc := bufio.NewScanner(stdout); !ready && sc.Scan(); {
			ready = sc.Text() == "ready"
		}
		if !ready {
			cmd.Wait()
			t.Fatalf("kill %d: the writer failed to start: %s", k, stderr.Bytes())
		}
		// Mostly kill while writing, at any point of it; sometimes at once.
		delay := time.Duration(src.Int64N(int64(6 * cycle)))
		if src.IntN(5) == 0 {
			delay = time.Duration(src.Int64N(int64(2 * time.Millisecond)))
		}
		time.Sleep(delay)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !errors.As(err, &exit) || !ok ||
			!ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("kill %d: the writer ended with %v before it was killed: %s", k, err, stderr.Bytes())
		}

		ck, err := ReadCheckpoint(path, killConfigHash)
		if err != nil {
			t.Fatalf("kill %d after %v: %v", k, delay, err)
		}
		if ck.Warning != nil {
			fellBack++
			if link && hadPath {
				t.Errorf("kill %d after %v of a writer using hard links: %v", k, delay, ck.Warning)
			}
		}
		seq := killSeq(t, ck)
		if seq < last {
			t.Fatalf("kill %d after %v: read checkpoint %d, older than %d read before", k, delay, seq, last)
		}
		last = seq
	}
	t.Logf("%d kills (%d of writers without hard links) within 6×%v: %d checkpoints written, %d reads fell back to checkpoint.bin.prev",
		kills, noLink, cycle, last, fellBack)
	if last < uint64(kills)/4 {
		t.Errorf("only %d checkpoints written in %d runs: the kills did not interrupt much writing", last, kills)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains([]string{"checkpoint.bin", "checkpoint.bin.prev", "checkpoint.bin.tmp", "checkpoint.bin.prev.tmp"}, e.Name()) {
			t.Errorf("stray file %s left in the run directory", e.Name())
		}
	}
}
