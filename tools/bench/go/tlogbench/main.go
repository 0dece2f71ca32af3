// tlogbench: the peer side of tools/bench/log. The same in-memory operations that
// candor_bench_log measures, done with golang.org/x/mod/sumdb/tlog and sumdb/note, on the same
// data (entries "leaf-<i>", indices and sizes from the same splitmix64 sequence):
//
//	append      N leaves, tlog.StoredHashes + appending to a slice (the sumdb server's pattern)
//	inclusion   tlog.ProveRecord(N, index) for random indices
//	consistency tlog.ProveTree(N, size) for random sizes
//	verify-inclusion / verify-consistency   tlog.CheckRecord / tlog.CheckTree on proofs made above
//	checkpoint-sign / checkpoint-open       note.Sign / note.Open + parsing of a checkpoint
//
// Output: one line per operation, "op<TAB>count<TAB>seconds", for the script to tabulate.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o tlogbench ./tools/bench/go/tlogbench
//	tlogbench -leaves 1000000 -proofs 200000
package main

import (
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// splitmix64, as in candor_bench_log, so both sides prove the same indices.
type splitmix struct{ state uint64 }

func (s *splitmix) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func report(op string, count int, d time.Duration) {
	fmt.Printf("%s\t%d\t%.6f\n", op, count, d.Seconds())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "tlogbench:", err)
		os.Exit(1)
	}
}

func main() {
	leaves := flag.Int64("leaves", 1000000, "tree size")
	proofs := flag.Int("proofs", 200000, "proofs and verifications of each kind")
	distinct := flag.Int("distinct", 10000, "distinct proofs kept for the verification runs")
	signs := flag.Int("signs", 20000, "checkpoint signatures and openings")
	flag.Parse()
	n := *leaves

	entries := make([][]byte, n)
	for i := range entries {
		entries[i] = []byte("leaf-" + strconv.FormatInt(int64(i), 10))
	}
	hashes := make([]tlog.Hash, 0, 2*n)
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = hashes[x]
		}
		return out, nil
	})

	start := time.Now()
	for i := int64(0); i < n; i++ {
		h, err := tlog.StoredHashes(i, entries[i], reader)
		check(err)
		hashes = append(hashes, h...)
	}
	report("append", int(n), time.Since(start))
	root, err := tlog.TreeHash(n, reader)
	check(err)

	rng := splitmix{1}
	indexes := make([]int64, *proofs)
	for i := range indexes {
		indexes[i] = int64(rng.next() % uint64(n))
	}
	rng = splitmix{2}
	sizes := make([]int64, *proofs)
	for i := range sizes {
		sizes[i] = 1 + int64(rng.next()%uint64(n-1))
	}

	kept := make([]tlog.RecordProof, *distinct)
	start = time.Now()
	for i, x := range indexes {
		p, err := tlog.ProveRecord(n, x, reader)
		check(err)
		if i < *distinct {
			kept[i] = p
		}
	}
	report("inclusion", *proofs, time.Since(start))

	keptTree := make([]tlog.TreeProof, *distinct)
	start = time.Now()
	for i, s := range sizes {
		p, err := tlog.ProveTree(n, s, reader)
		check(err)
		if i < *distinct {
			keptTree[i] = p
		}
	}
	report("consistency", *proofs, time.Since(start))

	leafHashes := make([]tlog.Hash, *distinct)
	oldRoots := make([]tlog.Hash, *distinct)
	for i := 0; i < *distinct; i++ {
		leafHashes[i] = tlog.RecordHash(entries[indexes[i]])
		oldRoots[i], err = tlog.TreeHash(sizes[i], reader)
		check(err)
	}

	start = time.Now()
	for i := 0; i < *proofs; i++ {
		k := i % *distinct
		check(tlog.CheckRecord(kept[k], n, root, indexes[k], leafHashes[k]))
	}
	report("verify-inclusion", *proofs, time.Since(start))

	start = time.Now()
	for i := 0; i < *proofs; i++ {
		k := i % *distinct
		check(tlog.CheckTree(keptTree[k], n, root, sizes[k], oldRoots[k]))
	}
	report("verify-consistency", *proofs, time.Since(start))

	// Checkpoints: sign and open a note with an Ed25519 key, as a log and a verifier do.
	skey, vkey, err := note.GenerateKey(rand.Reader, "example.org/ai-register")
	check(err)
	signer, err := note.NewSigner(skey)
	check(err)
	verifier, err := note.NewVerifier(vkey)
	check(err)
	text := "example.org/ai-register\n" + strconv.FormatInt(n, 10) + "\n" + root.String() + "\n"
	var msg []byte
	start = time.Now()
	for i := 0; i < *signs; i++ {
		msg, err = note.Sign(&note.Note{Text: text}, signer)
		check(err)
	}
	report("checkpoint-sign", *signs, time.Since(start))
	verifiers := note.VerifierList(verifier)
	start = time.Now()
	for i := 0; i < *signs; i++ {
		opened, err := note.Open(msg, verifiers)
		check(err)
		lines := strings.SplitN(opened.Text, "\n", 4)
		size, err := strconv.ParseInt(lines[1], 10, 64)
		check(err)
		h, err := tlog.ParseHash(lines[2])
		check(err)
		if size != n || h != root {
			check(fmt.Errorf("checkpoint does not round-trip"))
		}
	}
	report("checkpoint-open", *signs, time.Since(start))
}
