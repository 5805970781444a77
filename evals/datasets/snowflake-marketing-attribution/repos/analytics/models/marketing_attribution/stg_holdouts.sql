select test_id, channel, lift
from {{ source('attribution_sandbox', 'holdout_tests') }}
