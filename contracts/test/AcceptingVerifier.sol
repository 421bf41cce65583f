// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Test double for JudgmentReward's own arithmetic (signed scores) and recipient checks:
/// accepts every proof, as a per-model verifier or as a reusable one given a VK artifact.
contract AcceptingVerifier {
    function verifyProof(bytes calldata, uint256[] calldata) external pure returns (bool) {
        return true;
    }

    function verifyProof(address, bytes calldata, uint256[] calldata) external pure returns (bool) {
        return true;
    }
}
