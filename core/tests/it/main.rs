//! Integration tests of plasma-core: the committed shared vectors.

mod vectors;
