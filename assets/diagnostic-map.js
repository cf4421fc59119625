// The diagnostic's interactive map: an enhancement of the server's SVG map, opened only when a person asks for it
// (the OpenStreetMap tiles then come from openstreetmap.org; offline, the markers still show on a blank ground).
// Reads the same sheets, filtered the same way, from the territory's GeoJSON export. Nothing here is needed to
// read the diagnostic: the SVG map and its table say it all without JavaScript.
(function () {
  'use strict';

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (key) { element.setAttribute(key, attributes[key]); });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  // A popup's content, built as text nodes: names come from people and files.
  function popup(properties, sheetsBase) {
    var box = document.createElement('div');
    var link = document.createElement('a');
    link.href = sheetsBase + '/' + encodeURIComponent(properties.identifiant);
    link.textContent = properties.nom;
    var title = document.createElement('strong');
    title.appendChild(link);
    box.appendChild(title);
    var meta = document.createElement('div');
    meta.textContent = [properties.nature, properties.categorie, properties.nom_commune].filter(Boolean).join(' · ');
    box.appendChild(meta);
    return box;
  }

  function open(container, button) {
    button.disabled = true;
    var status = container.querySelector('[role=status]');
    status.textContent = 'Chargement de la carte interactive…';
    Promise.all([
      load('link', { rel: 'stylesheet', href: container.dataset.leafletCss }),
      load('script', { src: container.dataset.leafletJs }),
    ])
      .then(function () { return fetch(container.dataset.geojson, { credentials: 'same-origin' }); })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (collection) {
        var area = document.createElement('div');
        area.className = 'interactive-map';
        area.setAttribute('role', 'region');
        area.setAttribute('aria-label', 'Carte interactive (les mêmes fiches que le tableau)');
        container.appendChild(area);
        var L = window.L;
        var map = L.map(area, { scrollWheelZoom: false });
        L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
          maxZoom: 19,
          attribution: '© contributeurs OpenStreetMap',
        }).addTo(map);
        var layer = L.geoJSON(collection, {
          filter: function (feature) { return feature.geometry !== null; },
          pointToLayer: function (feature, at) {
            return L.circleMarker(at, {
              radius: 7,
              color: '#161616',
              weight: 1,
              fillColor: feature.properties['marker-color'] || '#000091',
              fillOpacity: 0.9,
            });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popup(feature.properties, container.dataset.sheets));
          },
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
        else map.setView([46.6, 2.4], 6);
        status.textContent = layer.getLayers().length + ' fiche(s) sur la carte interactive.';
        button.hidden = true;
      })
      .catch(function () {
        status.textContent = 'La carte interactive n’a pas pu s’ouvrir ; la carte et le tableau ci-dessus restent complets.';
        button.disabled = false;
      });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-interactive-map]').forEach(function (container) {
      var button = container.querySelector('button');
      button.hidden = false;
      button.addEventListener('click', function () { open(container, button); });
    });
  });
})();
