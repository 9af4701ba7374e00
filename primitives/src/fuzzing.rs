//! Support for the pallets' bounded fuzz harnesses (feature `fuzzing`, tests only): one
//! deterministic input per case, the number of cases, a checked step, and the driver that sums
//! the outcomes and makes sure the harness reaches the calls' success paths.

use core::fmt::Debug;

pub use arbitrary;

/// Bytes of input per case.
pub const CASE_BYTES: usize = 4_096;

/// The deterministic input of case `case`, so a failing case is reproduced by its number.
pub fn case_input(case: u64) -> Vec<u8> {
	let mut bytes = Vec::with_capacity(CASE_BYTES);
	let mut counter = 0u64;
	while bytes.len() < CASE_BYTES {
		let seed = [case.to_le_bytes(), counter.to_le_bytes()].concat();
		bytes.extend_from_slice(&sp_io::hashing::blake2_256(&seed));
		counter += 1;
	}
	bytes
}

/// How many cases to run: `VIOT_FUZZ_CASES`, or 300 (about a second per pallet).
pub fn cases() -> u64 {
	std::env::var("VIOT_FUZZ_CASES")
		.ok()
		.and_then(|v| v.parse().ok())
		.unwrap_or(300)
}

/// Runs one step of case `case` in the current externalities: `dispatch` says whether the call
/// succeeded; a failed call must leave the state root unchanged, and `invariants` must hold
/// afterwards. Returns whether the call succeeded.
pub fn checked_step<E: Debug>(
	case: u64,
	call: &dyn Debug,
	dispatch: impl FnOnce() -> bool,
	invariants: impl FnOnce() -> Result<(), E>,
) -> bool {
	let root = || sp_io::storage::root(sp_runtime::StateVersion::V1);
	let before = root();
	let succeeded = dispatch();
	if !succeeded {
		assert_eq!(
			root(),
			before,
			"case {case}: a failed call changed state: {call:?}"
		);
	}
	if let Err(error) = invariants() {
		panic!("case {case}: invariants broken after {call:?}: {error:?}");
	}
	succeeded
}

/// Runs up to `max_steps` steps of case `case` in the current externalities, drawing each from
/// `u` until it runs out: `next` returns a call to make (with its origin), or `None` for a step
/// that only changes the environment (such as letting blocks pass); `dispatch` makes the call and
/// says whether it succeeded. Every call is a [`checked_step`]. Returns how many calls succeeded
/// and how many failed.
pub fn run_steps<C: Debug, E: Debug>(
	case: u64,
	u: &mut arbitrary::Unstructured,
	max_steps: usize,
	mut next: impl FnMut(&mut arbitrary::Unstructured) -> arbitrary::Result<Option<C>>,
	mut dispatch: impl FnMut(&C) -> bool,
	invariants: impl Fn() -> Result<(), E>,
) -> (u64, u64) {
	let (mut succeeded, mut failed) = (0, 0);
	for _ in 0..max_steps {
		if u.is_empty() {
			break;
		}
		let call = match next(u) {
			Ok(Some(call)) => call,
			Ok(None) => continue,
			Err(_) => break,
		};
		if checked_step(case, &call, || dispatch(&call), &invariants) {
			succeeded += 1;
		} else {
			failed += 1;
		}
	}
	(succeeded, failed)
}

/// Runs every case (`run` returns how many of its calls succeeded and failed), prints the
/// totals and fails if fewer than 5 % of the calls succeeded: a harness that only reaches
/// errors tests little.
pub fn run_cases(mut run: impl FnMut(u64) -> (u64, u64)) {
	let (mut succeeded, mut failed) = (0, 0);
	for case in 0..cases() {
		let (ok, err) = run(case);
		succeeded += ok;
		failed += err;
	}
	println!(
		"{} cases: {succeeded} calls succeeded, {failed} failed",
		cases()
	);
	assert!(
		succeeded * 20 > succeeded + failed,
		"only {succeeded} of {} calls succeeded",
		succeeded + failed
	);
}
