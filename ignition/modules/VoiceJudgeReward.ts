import { judgeRewardModule } from "./judge-reward.js";

/** The tutorial-size judge, configured with the reusable verifier + VK artifact. */
export default judgeRewardModule("voiceJudge", "reusable");
