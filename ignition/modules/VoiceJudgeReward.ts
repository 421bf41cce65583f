import { judgeRewardModule } from "./judge-reward.js";

/** The tutorial-size judge: reusable verifier + VK artifact (a single verifier would not fit EIP-170). */
export default judgeRewardModule("voiceJudge", "reusable");
