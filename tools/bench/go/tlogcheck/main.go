// tlogcheck verifies a Candor register's published log with Go's golang.org/x/mod/sumdb/note and
// golang.org/x/mod/sumdb/tlog only: an implementation that shares no code with Candor. It is the
// acceptance check that our checkpoints, tiles and receipts are what the C2SP formats say.
//
//	tlogcheck -vkey FILE -dir DIR [-origin ORIGIN] [RECEIPT.tlog-proof ...]
//
// DIR is what `candor log export` writes (c2sp.org/tlog-tiles): DIR/checkpoint, DIR/tile/<L>/<N>,
// DIR/tile/entries/<N>. It checks, with x/mod doing every cryptographic step:
//   - the checkpoint is a note signed by the key (note.Open), for the origin;
//   - tlog.TreeHash through tlog.TileHashReader (which authenticates every tile it reads against
//     the checkpoint's root) gives the checkpoint's root;
//   - every entry of every bundle hashes (tlog.RecordHash) to the leaf hash the tiles hold;
//   - for each receipt (c2sp.org/tlog-proof): its checkpoint opens with the key, its inclusion
//     proof passes tlog.CheckRecord for the leaf its extra data carries, the proof equals the one
//     tlog.ProveRecord computes from the tiles, its leaf is the log's entry at that index, and
//     its checkpoint is consistent with the exported one (tlog.ProveTree + tlog.CheckTree).
//
// Exit status: 0 verified, 1 a check failed, 2 usage or I/O.
//
// Build in GOPATH mode with Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o tlogcheck ./tools/bench/go/tlogcheck
package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

type checkpoint struct {
	origin string
	tree   tlog.Tree
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: FAILED: "+format+"\n", args...)
	os.Exit(1)
}

func usage(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: "+format+"\n", args...)
	os.Exit(2)
}

// c2spPath turns x/mod's tile path ("tile/8/0/x001/234.p/5", "tile/8/data/000") into the
// c2sp.org/tlog-tiles one ("tile/0/x001/234.p/5", "tile/entries/000"): the same encoding of N and
// W, without the height, and "entries" for the data tiles.
func c2spPath(t tlog.Tile) string {
	p := strings.TrimPrefix(t.Path(), "tile/"+strconv.Itoa(height)+"/")
	if strings.HasPrefix(p, "data/") {
		p = "entries/" + strings.TrimPrefix(p, "data/")
	}
	return "tile/" + p
}

type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return height }

func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := os.ReadFile(filepath.Join(d.dir, c2spPath(t)))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (d dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

// openCheckpoint opens a signed checkpoint note and parses its body (origin, size, base64 root).
func openCheckpoint(msg []byte, verifier note.Verifier, origin string) (checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, fmt.Errorf("note.Open: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return checkpoint{}, errors.New("checkpoint has fewer than three lines")
	}
	if lines[0] != origin {
		return checkpoint{}, fmt.Errorf("checkpoint origin %q, want %q", lines[0], origin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("bad tree size %q", lines[1])
	}
	hash, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("bad root hash %q: %v", lines[2], err)
	}
	return checkpoint{lines[0], tlog.Tree{N: size, Hash: hash}}, nil
}

type receipt struct {
	extra  []byte
	index  int64
	proof  tlog.RecordProof
	signed []byte
}

// parseReceipt reads a c2sp.org/tlog-proof@v1 text.
func parseReceipt(text []byte) (receipt, error) {
	var r receipt
	head, signed, ok := bytes.Cut(text, []byte("\n\n"))
	if !ok {
		return r, errors.New("no blank line before the checkpoint")
	}
	r.signed = signed
	lines := strings.Split(string(head), "\n")
	if len(lines) < 2 || lines[0] != "c2sp.org/tlog-proof@v1" {
		return r, errors.New("not a c2sp.org/tlog-proof@v1")
	}
	lines = lines[1:]
	if strings.HasPrefix(lines[0], "extra ") {
		extra, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[0], "extra "))
		if err != nil {
			return r, fmt.Errorf("bad extra: %v", err)
		}
		r.extra = extra
		lines = lines[1:]
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "index ") {
		return r, errors.New("no index line")
	}
	index, err := strconv.ParseInt(strings.TrimPrefix(lines[0], "index "), 10, 64)
	if err != nil || index < 0 {
		return r, errors.New("bad index")
	}
	r.index = index
	for _, l := range lines[1:] {
		h, err := tlog.ParseHash(l)
		if err != nil {
			return r, fmt.Errorf("bad proof hash %q", l)
		}
		r.proof = append(r.proof, h)
	}
	return r, nil
}

// readBundle parses an entry bundle: big-endian uint16 length, then the entry, width times.
func readBundle(data []byte, width int) ([][]byte, error) {
	var out [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, errors.New("truncated length")
		}
		n := int(data[0])<<8 | int(data[1])
		data = data[2:]
		if len(data) < n {
			return nil, errors.New("truncated entry")
		}
		out = append(out, data[:n])
		data = data[n:]
	}
	if len(out) != width {
		return nil, fmt.Errorf("%d entries, want %d", len(out), width)
	}
	return out, nil
}

func main() {
	vkeyFile := flag.String("vkey", "", "the log's verifier key file (name+id+key)")
	dir := flag.String("dir", "", "the exported log (checkpoint, tile/...)")
	originFlag := flag.String("origin", "", "the log's origin (default: the key's name)")
	flag.Parse()
	if *vkeyFile == "" || *dir == "" {
		usage("usage: tlogcheck -vkey FILE -dir DIR [-origin ORIGIN] [RECEIPT...]")
	}
	vkeyText, err := os.ReadFile(*vkeyFile)
	if err != nil {
		usage("%v", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkeyText)))
	if err != nil {
		usage("note.NewVerifier: %v", err)
	}
	origin := *originFlag
	if origin == "" {
		origin = verifier.Name()
	}

	msg, err := os.ReadFile(filepath.Join(*dir, "checkpoint"))
	if err != nil {
		usage("%v", err)
	}
	cp, err := openCheckpoint(msg, verifier, origin)
	if err != nil {
		fail("checkpoint: %v", err)
	}
	tree := cp.tree
	reader := tlog.TileHashReader(tree, dirTiles{*dir})

	// The root, from tiles authenticated by x/mod.
	if tree.N > 0 {
		root, err := tlog.TreeHash(tree.N, reader)
		if err != nil {
			fail("tlog.TreeHash from the tiles: %v", err)
		}
		if root != tree.Hash {
			fail("tiles give root %v, checkpoint says %v", root, tree.Hash)
		}
	}

	// Every entry against its leaf hash.
	var entries [][]byte
	for start := int64(0); start < tree.N; start += 1 << height {
		width := tree.N - start
		if width > 1<<height {
			width = 1 << height
		}
		t := tlog.Tile{H: height, L: -1, N: start >> height, W: int(width)}
		data, err := os.ReadFile(filepath.Join(*dir, c2spPath(t)))
		if err != nil {
			fail("entry bundle: %v", err)
		}
		bundle, err := readBundle(data, int(width))
		if err != nil {
			fail("%s: %v", c2spPath(t), err)
		}
		indexes := make([]int64, width)
		for i := range indexes {
			indexes[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		leaves, err := reader.ReadHashes(indexes)
		if err != nil {
			fail("leaf hashes for %s: %v", c2spPath(t), err)
		}
		for i, e := range bundle {
			if tlog.RecordHash(e) != leaves[i] {
				fail("entry %d does not hash to its leaf in the tiles", start+int64(i))
			}
		}
		entries = append(entries, bundle...)
	}

	// Receipts.
	for _, file := range flag.Args() {
		text, err := os.ReadFile(file)
		if err != nil {
			usage("%v", err)
		}
		r, err := parseReceipt(text)
		if err != nil {
			fail("%s: %v", file, err)
		}
		rcp, err := openCheckpoint(r.signed, verifier, origin)
		if err != nil {
			fail("%s: checkpoint: %v", file, err)
		}
		leaf := tlog.RecordHash(r.extra)
		if err := tlog.CheckRecord(r.proof, rcp.tree.N, rcp.tree.Hash, r.index, leaf); err != nil {
			fail("%s: tlog.CheckRecord: %v", file, err)
		}
		if rcp.tree.N > tree.N {
			fail("%s: its checkpoint (size %d) is newer than the exported log (size %d)", file, rcp.tree.N, tree.N)
		}
		if !bytes.Equal(entries[r.index], r.extra) {
			fail("%s: its leaf is not the log's entry %d", file, r.index)
		}
		proof, err := tlog.ProveRecord(rcp.tree.N, r.index, reader)
		if err != nil {
			fail("%s: tlog.ProveRecord: %v", file, err)
		}
		if len(proof) != len(r.proof) {
			fail("%s: the receipt's proof differs from the one the tiles give", file)
		}
		for i := range proof {
			if proof[i] != r.proof[i] {
				fail("%s: the receipt's proof differs from the one the tiles give", file)
			}
		}
		treeProof, err := tlog.ProveTree(tree.N, rcp.tree.N, reader)
		if err != nil {
			fail("%s: tlog.ProveTree: %v", file, err)
		}
		if err := tlog.CheckTree(treeProof, tree.N, tree.Hash, rcp.tree.N, rcp.tree.Hash); err != nil {
			fail("%s: tlog.CheckTree: %v", file, err)
		}
	}
	fmt.Printf("golang.org/x/mod/sumdb verified %s: checkpoint size %d, root %v, %d entries, %d receipts\n",
		origin, tree.N, tree.Hash, len(entries), len(flag.Args()))
}
