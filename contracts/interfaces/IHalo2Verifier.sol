// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice The ezkl Halo2 verifier (one per model). Reverts with empty data on an invalid proof.
interface IHalo2Verifier {
    function verifyProof(bytes calldata proof, uint256[] calldata instances) external returns (bool);
}

/// @notice ezkl's reusable Halo2 verifier, given the model's verifying-key artifact contract.
interface IHalo2ReusableVerifier {
    function verifyProof(address vk, bytes calldata proof, uint256[] calldata instances) external returns (bool);
}

/// @notice The ezkl data attester: re-reads the on-chain inputs, checks them against the
/// proof's instances, then calls the verifier with `encoded` (verifyProof calldata).
interface IDataAttester {
    function verifyWithDataAttestation(address verifier, bytes calldata encoded) external view returns (bool);
}
