//! Provisioning batches: a manufacturer commits to many devices with one Merkle root
//! (`deviceIdentity.provisionBatch`); each device is claimed later with its membership proof
//! (`deviceIdentity.claimDevice`), and anyone can check that proof off chain first.
//!
//! A device's leaf is [`BatchLeaf::hash`] of its id, key and metadata digest; the tree over the
//! leaves is the one [`Batch`](crate::batch::Batch) builds (DataAnchoring's algorithm), so
//! `Batch::new(leaves)` gives the root to provision and the proof of each device.

use viot_primitives::{
	device::{BatchLeaf, DeviceId, DevicePublicKey},
	Hash,
};

use crate::Error;

/// The leaf of device `device` with `key` and `metadata` (the bytes its claim stores) in a
/// provisioning batch.
pub fn batch_leaf(device: DeviceId, key: DevicePublicKey, metadata: &[u8]) -> Hash {
	BatchLeaf::new(device, key, metadata).hash()
}

/// Checks off chain what `claimDevice` checks of a leaf on chain: that its key is valid and that
/// `siblings` lead from the device's leaf at `leaf_index` to the `root` of a batch of `size`
/// devices (`root` and `deviceCount` as `deviceIdentityApi.batch` returns them). The device is
/// then genuine as far as its manufacturer's commitment goes; whether it was claimed, revoked or
/// its batch closed is on chain (`deviceIdentityApi.device`, `.batch`).
pub fn verify_batch_device(
	root: Hash,
	size: u32,
	leaf: &BatchLeaf,
	leaf_index: u32,
	siblings: &[Hash],
) -> Result<(), Error> {
	if !leaf.key.is_valid() {
		// `claimDevice` refuses such a key whatever the proof (`InvalidPublicKey`).
		return Err(Error::InvalidPublicKey(crate::keys::kind_name(
			leaf.key.kind(),
		)));
	}
	if leaf.is_in_batch(root, size, leaf_index, siblings.to_vec()) {
		Ok(())
	} else {
		Err(Error::BadProof)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{batch::Batch, keys::DeviceKey, KeyKind};

	fn device(i: u32) -> (DeviceId, DevicePublicKey, Vec<u8>) {
		let mut id = [0u8; 32];
		id[..4].copy_from_slice(&i.to_le_bytes());
		let key = DeviceKey::from_secret(KeyKind::Sr25519, &[i as u8 + 1; 32]).unwrap();
		(id, key.public_key(), format!("item {i}").into_bytes())
	}

	#[test]
	fn every_device_of_a_batch_is_proven_and_nothing_else() {
		let devices: Vec<_> = (0..11).map(device).collect();
		let leaves: Vec<Hash> = devices
			.iter()
			.map(|(id, key, metadata)| batch_leaf(*id, key.clone(), metadata))
			.collect();
		let batch = Batch::new(leaves).unwrap();
		for (i, (id, key, metadata)) in devices.iter().enumerate() {
			let proof = batch.proof(i as u32).unwrap();
			let leaf = BatchLeaf::new(*id, key.clone(), metadata);
			assert_eq!(
				verify_batch_device(batch.root(), 11, &leaf, i as u32, &proof.siblings),
				Ok(())
			);
			// Another size, position, key or metadata: refused.
			for (root, size, index, leaf) in [
				(batch.root(), 2, i as u32, leaf.clone()),
				(batch.root(), 11, (i as u32 + 1) % 11, leaf.clone()),
				(Hash::repeat_byte(1), 11, i as u32, leaf.clone()),
				(
					batch.root(),
					11,
					i as u32,
					BatchLeaf::new(*id, devices[(i + 1) % 11].1.clone(), metadata),
				),
				(
					batch.root(),
					11,
					i as u32,
					BatchLeaf::new(*id, key.clone(), b"other"),
				),
			] {
				assert_eq!(
					verify_batch_device(root, size, &leaf, index, &proof.siblings),
					Err(Error::BadProof)
				);
			}
		}
	}

	#[test]
	fn a_leaf_with_a_key_the_chain_refuses_is_refused_off_chain_too() {
		let (id, key, metadata) = device(0);
		let DevicePublicKey::Sr25519(_) = key else {
			unreachable!()
		};
		let identity = DevicePublicKey::Sr25519([0; 32]);
		let leaves = vec![batch_leaf(id, identity.clone(), &metadata)];
		let batch = Batch::new(leaves).unwrap();
		let leaf = BatchLeaf::new(id, identity, &metadata);
		assert_eq!(
			verify_batch_device(batch.root(), 1, &leaf, 0, &[]),
			Err(Error::InvalidPublicKey("sr25519"))
		);
	}

	/// The goal: a million devices in one batch. Building it and proving one device.
	#[test]
	fn a_batch_of_a_million_devices() {
		let key = device(0).1;
		let leaves: Vec<Hash> = (0..1_000_000u32)
			.map(|i| {
				let mut id = [0u8; 32];
				id[..4].copy_from_slice(&i.to_le_bytes());
				batch_leaf(id, key.clone(), b"")
			})
			.collect();
		let batch = Batch::new(leaves).unwrap();
		let index = 777_777;
		let proof = batch.proof(index).unwrap();
		assert_eq!(proof.siblings.len(), 20);
		let mut id = [0u8; 32];
		id[..4].copy_from_slice(&index.to_le_bytes());
		let leaf = BatchLeaf::new(id, key, b"");
		assert_eq!(
			verify_batch_device(batch.root(), 1_000_000, &leaf, index, &proof.siblings),
			Ok(())
		);
	}
}
