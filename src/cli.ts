// The `nnspec` command line.
console.log('nnspec');
