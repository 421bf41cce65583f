// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Test helper: a recipient whose receive() tries to claim again with a proof bound
/// to itself, recording whether the reentrant call was refused.
contract ReentrantRecipient {
    address public victim;
    bytes public proof;
    uint256[] public instances;
    bool public reentryAttempted;
    bool public reentryRefused;

    /// @notice Arms the attack: on payment, call `victim` with claim(proof, instances).
    function arm(address victim_, bytes calldata proof_, uint256[] calldata instances_) external {
        victim = victim_;
        proof = proof_;
        instances = instances_;
    }

    receive() external payable {
        if (victim == address(0) || reentryAttempted) return;
        reentryAttempted = true;
        (bool ok,) = victim.call(abi.encodeWithSignature("claim(address,bytes,uint256[],uint256)", address(this), proof, instances, 0));
        reentryRefused = !ok;
    }
}
