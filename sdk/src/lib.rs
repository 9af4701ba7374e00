//! The VIoT SDK: what device makers, gateways and web pages need to talk to a VIoT chain with
//! exactly the runtime's encodings and proofs.
//!
//! - [`keys`]: device key pairs of every type the device-identity pallet accepts (sr25519,
//!   Ed25519, secp256k1 ECDSA, NIST P-256): generate, import, export, sign.
//! - [`payload`]: the payloads devices sign, built from the runtime's own types, and the
//!   off-chain challenge a verifier asks a tag to sign.
//! - [`subject`]: subject ids derived from the codes printed on products (GS1 GTIN + serial).
//! - [`batch`]: Merkle batches of records and inclusion proofs, with DataAnchoring's algorithm.
//! - [`provisioning`]: the leaves of a manufacturer's provisioning batch and the off-chain check
//!   of a device's membership proof.
//! - [`verify`]: a record against an anchor, and an item's trace, as the runtime API returns
//!   them.
//!
//! The same code is compiled to WebAssembly with wasm-bindgen for Node.js and browsers
//! (`sdk/build.sh`, package in `sdk/js`); the JavaScript API is in [`js`].

#![warn(missing_docs)]

pub mod batch;
mod error;
pub mod js;
pub mod keys;
pub mod payload;
pub mod provisioning;
pub mod subject;
pub mod verify;

use error::fixed;
pub use error::Error;
pub use viot_primitives::{
	anchor::{InclusionProof, SubjectId},
	device::{DeviceAction, DeviceId, DevicePayload, DevicePublicKey, DeviceSignature, KeyKind},
	Hash,
};
