package com.example.portal.legacy;

import java.util.List;
import javax.ejb.Stateless;
import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;

@Stateless
public class ClaimEventDao {

    @PersistenceContext(unitName = "claimsHistoryPU")
    private EntityManager em;

    public List<ClaimEvent> findByPolicy(String policyNo) {
        return em.createQuery("select e from ClaimEvent e where e.policyNo = :p order by e.closedOn desc", ClaimEvent.class)
                 .setParameter("p", policyNo)
                 .getResultList();
    }

    public long countAll() {
        Number n = (Number) em.createNativeQuery("SELECT COUNT(*) FROM CLAIMS_HISTORY.CLAIM_EVENT").getSingleResult();
        return n.longValue();
    }
}
