// Spec templates for `nnspec: New Spec from Template`: the course's networks. Pure data.

export interface SpecTemplate {
  id: string;
  label: string;
  description: string;
  fileName: string;
  text: string;
}

export const TEMPLATES: SpecTemplate[] = [
  {
    id: 'planar',
    label: 'Planar data, one hidden layer',
    description: 'Course 1, week 3: 4 tanh units on the "flower" set',
    fileName: 'planar.nnspec',
    text: `# Planar data classification with one hidden layer (course 1, week 3).
# Logistic regression cannot separate the petals; 4 tanh units can.
network "planar"
input 2                     # x1, x2
dense 4 tanh                # n[1] = 4 hidden units
dense 1 sigmoid             # output: P(y = 1 | x)
loss binary_cross_entropy

data train flower m=400 seed=1    # the course's data set
data test  flower m=200 seed=2

init random 0.01
seed 2
learning_rate 1.2
iterations 10000
print_every 1000
`,
  },
  {
    id: 'spiral',
    label: 'Spiral, two hidden layers',
    description: 'A harder 2-D set that needs depth (TensorFlow Playground style)',
    fileName: 'spiral.nnspec',
    text: `# Two interleaved spirals: one hidden layer struggles, two do better.
network "spiral"
input 2
dense 8 tanh
dense 8 tanh
dense 1 sigmoid
loss binary_cross_entropy

data train spiral m=400 noise=0.05 seed=1
data test  spiral m=200 noise=0.05 seed=2

init xavier
seed 1
learning_rate 0.3
iterations 5000
print_every 500
`,
  },
  {
    id: 'logistic',
    label: 'Logistic regression (cat vs non-cat)',
    description: 'Course 1, week 2: one sigmoid unit on 64x64 images',
    fileName: 'logistic-regression.nnspec',
    text: `# Logistic regression as a neural network (course 1, week 2).
# Put train_catvnoncat.h5 and test_catvnoncat.h5 in a data/ folder next to this file.
network "cat logistic regression"
input 64x64x3               # n_x = 12288 pixels
dense 1 sigmoid
loss binary_cross_entropy

data train "data/train_catvnoncat.h5" x=train_set_x y=train_set_y scale=1/255
data test  "data/test_catvnoncat.h5"  x=test_set_x  y=test_set_y  scale=1/255

init zeros                  # fine without hidden layers
learning_rate 0.005
iterations 2000
`,
  },
  {
    id: 'cat-2layer',
    label: 'Two-layer network (cat vs non-cat)',
    description: 'Course 1, week 4: [12288, 7, 1] with ReLU',
    fileName: 'cat-2layer.nnspec',
    text: `# Two-layer neural network for cat vs non-cat (course 1, week 4): [12288, 7, 1].
# Put train_catvnoncat.h5 and test_catvnoncat.h5 in a data/ folder next to this file.
network "cat 2-layer"
input 64x64x3
dense 7 relu
dense 1 sigmoid
loss binary_cross_entropy

data train "data/train_catvnoncat.h5" x=train_set_x y=train_set_y scale=1/255
data test  "data/test_catvnoncat.h5"  x=test_set_x  y=test_set_y  scale=1/255

init random 0.01            # the 2-layer notebook's initialize_parameters
seed 1
learning_rate 0.0075
iterations 2500
`,
  },
  {
    id: 'cat-4layer',
    label: 'Deep network (cat vs non-cat)',
    description: 'Course 1, week 4: [12288, 20, 7, 5, 1] with ReLU',
    fileName: 'cat-4layer.nnspec',
    text: `# L-layer network for cat vs non-cat (course 1, week 4).
# Put train_catvnoncat.h5 and test_catvnoncat.h5 in a data/ folder next to this file.
network "cat classifier"
input 64x64x3
dense 20 relu
dense 7  relu
dense 5  relu
dense 1  sigmoid
loss binary_cross_entropy

data train "data/train_catvnoncat.h5" x=train_set_x y=train_set_y scale=1/255
data test  "data/test_catvnoncat.h5"  x=test_set_x  y=test_set_y  scale=1/255

init xavier
seed 1
learning_rate 0.0075
iterations 2500
`,
  },
];
