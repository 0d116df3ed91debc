"""Front-end files the app serves itself: npm packages under /npm/, the favicon, and Folium maps that load
nothing from a CDN."""
