package com.example.portal.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The "Claims history" tab: lets an agent see a customer's claims history. Reads POLICY_CORE. */
@Controller
@RequestMapping("/claims/history")
public class ClaimsHistoryController {

    private final ClaimsHistoryService claimsHistoryService;

    public ClaimsHistoryController(ClaimsHistoryService claimsHistoryService) {
        this.claimsHistoryService = claimsHistoryService;
    }

    @GetMapping
    public String show(@RequestParam String policyNo, Model model) {
        model.addAttribute("events", claimsHistoryService.forPolicy(policyNo));
        return "claims/historyTab";
    }
}
