// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IDataAttester} from "./interfaces/IHalo2Verifier.sol";

/// @title AttestedScoreRegistry
/// @notice Records a model score only if the proof was made from the data the source
/// contract holds right now: the ezkl data attester re-reads it and compares it with the
/// proof's public inputs before verifying. A proof made before the data changed fails.
contract AttestedScoreRegistry {
    IDataAttester public immutable attester;
    address public immutable verifier;
    /// @dev Index of the score among the public instances (after the attested inputs).
    uint256 public immutable scoreIndex;

    uint256 public latestScore;
    uint256 public recordedCount;

    event ScoreRecorded(address indexed submitter, uint256 score);

    error AttestationFailed();

    constructor(IDataAttester attester_, address verifier_, uint256 scoreIndex_) {
        attester = attester_;
        verifier = verifier_;
        scoreIndex = scoreIndex_;
    }

    /// @notice Records the score of a proof whose inputs match the on-chain data now.
    /// @param encoded verifyProof(bytes,uint256[]) calldata for the verifier.
    /// @return score The recorded score instance (fixed point).
    function record(bytes calldata encoded) external returns (uint256 score) {
        (, uint256[] memory instances) = abi.decode(encoded[4:], (bytes, uint256[]));
        if (instances.length <= scoreIndex) revert AttestationFailed();
        score = instances[scoreIndex];
        try attester.verifyWithDataAttestation(verifier, encoded) returns (bool ok) {
            if (!ok) revert AttestationFailed();
        } catch {
            revert AttestationFailed();
        }
        latestScore = score;
        recordedCount++;
        emit ScoreRecorded(msg.sender, score);
    }
}
