package dataset

import (
	"fmt"
	"math/rand/v2"
)

// FlipHorizontal mirrors one image x (channels × height × width, row-major)
// left to right in place: x[c][i][j] ↔ x[c][i][w−1−j].
func FlipHorizontal(x []float32, shape [3]int) {
	w := shape[2]
	rows := shape[0] * shape[1]
	if len(x) < rows*w {
		panic(fmt.Sprintf("dataset: FlipHorizontal: %d values for shape %v", len(x), shape))
	}
	for r := 0; r < rows; r++ {
		row := x[r*w : (r+1)*w]
		for i, j := 0, w-1; i < j; i, j = i+1, j-1 {
			row[i], row[j] = row[j], row[i]
		}
	}
}

// RandomFlip is the paper's data augmentation ("DA" on CIFAR-10,
// torchvision's RandomHorizontalFlip): each epoch, every training image is
// shown mirrored left to right with probability 1/2, independently of the
// other images and epochs.
//
// It works in place, so that the set is never copied (CIFAR-10's training
// set is 614 MB as float32): Draw mirrors the images whose orientation
// changes from the previous draw, and Restore puts every image back the
// right way round (before measuring the training error, as the paper's
// code does on an unaugmented copy). The zero value is ready to use.
type RandomFlip struct {
	flipped []bool // image i is currently mirrored
}

// Draw gives every image of s a fresh random orientation from rng: after
// it, image i is mirrored with probability 1/2.
func (f *RandomFlip) Draw(s *Set, rng *rand.Rand) {
	f.size(s)
	for i := range f.flipped {
		if want := rng.Uint64()&1 == 1; want != f.flipped[i] {
			FlipHorizontal(s.X[i*s.Features:(i+1)*s.Features], s.Shape)
			f.flipped[i] = want
		}
	}
}

// Restore mirrors back every image Draw left mirrored.
func (f *RandomFlip) Restore(s *Set) {
	f.size(s)
	for i, fl := range f.flipped {
		if fl {
			FlipHorizontal(s.X[i*s.Features:(i+1)*s.Features], s.Shape)
			f.flipped[i] = false
		}
	}
}

// Flipped reports whether image i is currently mirrored.
func (f *RandomFlip) Flipped(i int) bool { return i < len(f.flipped) && f.flipped[i] }

func (f *RandomFlip) size(s *Set) {
	if s.Shape[0]*s.Shape[1]*s.Shape[2] != s.Features {
		panic(fmt.Sprintf("dataset: RandomFlip: set %s has shape %v but %d features", s.Name, s.Shape, s.Features))
	}
	if f.flipped == nil {
		f.flipped = make([]bool, s.N)
	}
	if len(f.flipped) != s.N {
		panic(fmt.Sprintf("dataset: RandomFlip: used on sets of %d and %d images", len(f.flipped), s.N))
	}
}
