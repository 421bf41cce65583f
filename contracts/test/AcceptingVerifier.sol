// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Test double for JudgmentReward's own arithmetic (signed scores): accepts every proof.
contract AcceptingVerifier {
    function verifyProof(bytes calldata, uint256[] calldata) external pure returns (bool) {
        return true;
    }
}
