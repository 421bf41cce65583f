// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IDataAttester, IHalo2Verifier} from "./interfaces/IHalo2Verifier.sol";

/// @title AttestedScoreRegistry
/// @notice Records a model score only if the proof was made from the data the source
/// contract holds right now: the ezkl data attester re-reads it and compares it with the
/// proof's public inputs before verifying. A proof made before the data changed fails.
/// @dev Only canonically ABI-encoded calldata is forwarded. The generated Halo2 verifier
/// hashes the proof it finds at `proof.offset` into its transcript but reads evaluations at
/// fixed calldata offsets (where a canonical encoding puts the proof); calldata whose offset
/// points at a second copy is decoded by Solidity and accepted by the raw verifier, so the
/// checked bytes need not be the hashed bytes. `record` refuses anything that is not exactly
/// the canonical encoding of what it decodes.
contract AttestedScoreRegistry {
    IDataAttester public immutable attester;
    address public immutable verifier;
    /// @dev Index of the score among the public instances (after the attested inputs).
    uint256 public immutable scoreIndex;

    uint256 public latestScore;
    uint256 public recordedCount;

    event ScoreRecorded(address indexed submitter, uint256 score);

    error AttestationFailed();
    /// @notice `encoded` is not the canonical abi.encodeCall(verifyProof, (proof, instances)):
    /// another selector, non-standard offsets, extra or missing bytes. Encode it with the
    /// engine's encodeVerifierCalldata or ethers' Interface.encodeFunctionData.
    error NonCanonicalCalldata();

    constructor(IDataAttester attester_, address verifier_, uint256 scoreIndex_) {
        attester = attester_;
        verifier = verifier_;
        scoreIndex = scoreIndex_;
    }

    /// @notice Records the score of a proof whose inputs match the on-chain data now.
    /// @param encoded verifyProof(bytes,uint256[]) calldata for the verifier, canonically encoded.
    /// @return score The recorded score instance (fixed point).
    function record(bytes calldata encoded) external returns (uint256 score) {
        if (encoded.length < 4 || bytes4(encoded[:4]) != IHalo2Verifier.verifyProof.selector) revert NonCanonicalCalldata();
        (bytes memory proof, uint256[] memory instances) = abi.decode(encoded[4:], (bytes, uint256[]));
        bytes memory canonical = abi.encodeCall(IHalo2Verifier.verifyProof, (proof, instances));
        if (keccak256(canonical) != keccak256(encoded)) revert NonCanonicalCalldata();
        if (instances.length <= scoreIndex) revert AttestationFailed();
        score = instances[scoreIndex];
        try attester.verifyWithDataAttestation(verifier, canonical) returns (bool ok) {
            if (!ok) revert AttestationFailed();
        } catch {
            revert AttestationFailed();
        }
        latestScore = score;
        recordedCount++;
        emit ScoreRecorded(msg.sender, score);
    }
}
