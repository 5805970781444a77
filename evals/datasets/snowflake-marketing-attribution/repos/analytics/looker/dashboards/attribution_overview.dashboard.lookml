- dashboard: attribution_overview
  title: Marketing Attribution Overview
  layout: newspaper
  elements:
    - title: Revenue by Channel
      name: revenue_by_channel
      model: marketing
      explore: channel_roi
      type: looker_bar
      fields: [channel_roi.channel, channel_roi.attributed_revenue]
