//! Benchmarks of the child-chains pallet.
