package com.example.portal.web;

import java.util.List;
import org.springframework.stereotype.Service;
import com.example.portal.model.Claim;
import com.example.portal.policy.PolicyDao;

@Service
public class ClaimsHistoryService {

    private final PolicyDao policyDao;

    public ClaimsHistoryService(PolicyDao policyDao) {
        this.policyDao = policyDao;
    }

    public List<Claim> forPolicy(String policyNo) {
        return policyDao.claimsFor(policyNo);
    }
}
