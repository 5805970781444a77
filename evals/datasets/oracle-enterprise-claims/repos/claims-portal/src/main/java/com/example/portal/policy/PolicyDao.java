package com.example.portal.policy;

import java.util.List;
import javax.ejb.Stateless;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;
import com.example.portal.model.Claim;

@Stateless
public class PolicyDao {

    @PersistenceContext(unitName = "policyCorePU")
    private EntityManager em;

    public List<Claim> claimsFor(String policyNo) {
        return em.createQuery("select c from Claim c where c.policy.number = :p order by c.openedOn desc", Claim.class)
                 .setParameter("p", policyNo)
                 .getResultList();
    }
}
