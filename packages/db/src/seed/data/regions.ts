/**
 * Demo geography: continent > country > city. Codes are ISO 3166-1 alpha-2 for countries and the usual two-letter
 * codes for continents; coordinates are city centres to two decimals. Antarctica has no cities, so its "country"
 * (ISO AQ) holds research stations, which keeps every continent reachable in the region tree.
 */
export type CitySeed = { name: string; slug: string; latitude: number; longitude: number };
export type CountrySeed = { code: string; name: string; slug: string; cities: readonly CitySeed[] };
export type ContinentSeed = { code: string; name: string; slug: string; countries: readonly CountrySeed[] };

export const CONTINENTS: readonly ContinentSeed[] = [
  {
    code: 'AF',
    name: 'Africa',
    slug: 'africa',
    countries: [
      {
        code: 'NG',
        name: 'Nigeria',
        slug: 'nigeria',
        cities: [
          { name: 'Lagos', slug: 'lagos', latitude: 6.52, longitude: 3.38 },
          { name: 'Abuja', slug: 'abuja', latitude: 9.08, longitude: 7.4 },
          { name: 'Kano', slug: 'kano', latitude: 12.0, longitude: 8.52 },
        ],
      },
      {
        code: 'EG',
        name: 'Egypt',
        slug: 'egypt',
        cities: [
          { name: 'Cairo', slug: 'cairo', latitude: 30.04, longitude: 31.24 },
          { name: 'Alexandria', slug: 'alexandria', latitude: 31.2, longitude: 29.92 },
          { name: 'Luxor', slug: 'luxor', latitude: 25.69, longitude: 32.64 },
        ],
      },
      {
        code: 'ZA',
        name: 'South Africa',
        slug: 'south-africa',
        cities: [
          { name: 'Johannesburg', slug: 'johannesburg', latitude: -26.2, longitude: 28.05 },
          { name: 'Cape Town', slug: 'cape-town', latitude: -33.92, longitude: 18.42 },
          { name: 'Durban', slug: 'durban', latitude: -29.86, longitude: 31.03 },
        ],
      },
      {
        code: 'KE',
        name: 'Kenya',
        slug: 'kenya',
        cities: [
          { name: 'Nairobi', slug: 'nairobi', latitude: -1.29, longitude: 36.82 },
          { name: 'Mombasa', slug: 'mombasa', latitude: -4.04, longitude: 39.67 },
          { name: 'Kisumu', slug: 'kisumu', latitude: -0.09, longitude: 34.77 },
        ],
      },
      {
        code: 'MA',
        name: 'Morocco',
        slug: 'morocco',
        cities: [
          { name: 'Casablanca', slug: 'casablanca', latitude: 33.57, longitude: -7.59 },
          { name: 'Marrakesh', slug: 'marrakesh', latitude: 31.63, longitude: -7.98 },
          { name: 'Rabat', slug: 'rabat', latitude: 34.02, longitude: -6.84 },
        ],
      },
      {
        code: 'GH',
        name: 'Ghana',
        slug: 'ghana',
        cities: [
          { name: 'Accra', slug: 'accra', latitude: 5.6, longitude: -0.19 },
          { name: 'Kumasi', slug: 'kumasi', latitude: 6.69, longitude: -1.62 },
        ],
      },
      {
        code: 'ET',
        name: 'Ethiopia',
        slug: 'ethiopia',
        cities: [
          { name: 'Addis Ababa', slug: 'addis-ababa', latitude: 9.03, longitude: 38.74 },
          { name: 'Dire Dawa', slug: 'dire-dawa', latitude: 9.6, longitude: 41.85 },
        ],
      },
      {
        code: 'SN',
        name: 'Senegal',
        slug: 'senegal',
        cities: [
          { name: 'Dakar', slug: 'dakar', latitude: 14.72, longitude: -17.47 },
          { name: 'Saint-Louis', slug: 'saint-louis', latitude: 16.02, longitude: -16.49 },
        ],
      },
      {
        code: 'TZ',
        name: 'Tanzania',
        slug: 'tanzania',
        cities: [
          { name: 'Dar es Salaam', slug: 'dar-es-salaam', latitude: -6.79, longitude: 39.21 },
          { name: 'Arusha', slug: 'arusha', latitude: -3.39, longitude: 36.68 },
          { name: 'Zanzibar City', slug: 'zanzibar-city', latitude: -6.17, longitude: 39.2 },
        ],
      },
    ],
  },
  {
    code: 'AN',
    name: 'Antarctica',
    slug: 'antarctica',
    countries: [
      {
        code: 'AQ',
        name: 'Antarctica',
        slug: 'antarctica',
        cities: [
          { name: 'McMurdo Station', slug: 'mcmurdo-station', latitude: -77.85, longitude: 166.67 },
          {
            name: 'Rothera Research Station',
            slug: 'rothera-research-station',
            latitude: -67.57,
            longitude: -68.13,
          },
          { name: 'Palmer Station', slug: 'palmer-station', latitude: -64.77, longitude: -64.05 },
        ],
      },
    ],
  },
  {
    code: 'AS',
    name: 'Asia',
    slug: 'asia',
    countries: [
      {
        code: 'JP',
        name: 'Japan',
        slug: 'japan',
        cities: [
          { name: 'Tokyo', slug: 'tokyo', latitude: 35.69, longitude: 139.69 },
          { name: 'Osaka', slug: 'osaka', latitude: 34.69, longitude: 135.5 },
          { name: 'Kyoto', slug: 'kyoto', latitude: 35.01, longitude: 135.77 },
          { name: 'Sapporo', slug: 'sapporo', latitude: 43.06, longitude: 141.35 },
          { name: 'Fukuoka', slug: 'fukuoka', latitude: 33.59, longitude: 130.4 },
        ],
      },
      {
        code: 'KR',
        name: 'South Korea',
        slug: 'south-korea',
        cities: [
          { name: 'Seoul', slug: 'seoul', latitude: 37.57, longitude: 126.98 },
          { name: 'Busan', slug: 'busan', latitude: 35.18, longitude: 129.08 },
          { name: 'Incheon', slug: 'incheon', latitude: 37.46, longitude: 126.71 },
          { name: 'Daegu', slug: 'daegu', latitude: 35.87, longitude: 128.6 },
        ],
      },
      {
        code: 'CN',
        name: 'China',
        slug: 'china',
        cities: [
          { name: 'Beijing', slug: 'beijing', latitude: 39.9, longitude: 116.41 },
          { name: 'Shanghai', slug: 'shanghai', latitude: 31.23, longitude: 121.47 },
          { name: 'Shenzhen', slug: 'shenzhen', latitude: 22.54, longitude: 114.06 },
          { name: 'Chengdu', slug: 'chengdu', latitude: 30.57, longitude: 104.07 },
        ],
      },
      {
        code: 'IN',
        name: 'India',
        slug: 'india',
        cities: [
          { name: 'Mumbai', slug: 'mumbai', latitude: 19.08, longitude: 72.88 },
          { name: 'New Delhi', slug: 'new-delhi', latitude: 28.61, longitude: 77.21 },
          { name: 'Bengaluru', slug: 'bengaluru', latitude: 12.97, longitude: 77.59 },
          { name: 'Chennai', slug: 'chennai', latitude: 13.08, longitude: 80.27 },
          { name: 'Kolkata', slug: 'kolkata', latitude: 22.57, longitude: 88.36 },
        ],
      },
      {
        code: 'ID',
        name: 'Indonesia',
        slug: 'indonesia',
        cities: [
          { name: 'Jakarta', slug: 'jakarta', latitude: -6.21, longitude: 106.85 },
          { name: 'Surabaya', slug: 'surabaya', latitude: -7.26, longitude: 112.75 },
          { name: 'Denpasar', slug: 'denpasar', latitude: -8.65, longitude: 115.22 },
        ],
      },
      {
        code: 'TH',
        name: 'Thailand',
        slug: 'thailand',
        cities: [
          { name: 'Bangkok', slug: 'bangkok', latitude: 13.76, longitude: 100.5 },
          { name: 'Chiang Mai', slug: 'chiang-mai', latitude: 18.79, longitude: 98.99 },
          { name: 'Phuket', slug: 'phuket', latitude: 7.88, longitude: 98.39 },
        ],
      },
      {
        code: 'VN',
        name: 'Vietnam',
        slug: 'vietnam',
        cities: [
          { name: 'Hanoi', slug: 'hanoi', latitude: 21.03, longitude: 105.83 },
          { name: 'Ho Chi Minh City', slug: 'ho-chi-minh-city', latitude: 10.82, longitude: 106.63 },
          { name: 'Da Nang', slug: 'da-nang', latitude: 16.05, longitude: 108.2 },
        ],
      },
      {
        code: 'PH',
        name: 'Philippines',
        slug: 'philippines',
        cities: [
          { name: 'Manila', slug: 'manila', latitude: 14.6, longitude: 120.98 },
          { name: 'Cebu City', slug: 'cebu-city', latitude: 10.32, longitude: 123.89 },
          { name: 'Davao City', slug: 'davao-city', latitude: 7.19, longitude: 125.46 },
        ],
      },
      {
        code: 'AE',
        name: 'United Arab Emirates',
        slug: 'united-arab-emirates',
        cities: [
          { name: 'Dubai', slug: 'dubai', latitude: 25.2, longitude: 55.27 },
          { name: 'Abu Dhabi', slug: 'abu-dhabi', latitude: 24.45, longitude: 54.38 },
          { name: 'Sharjah', slug: 'sharjah', latitude: 25.35, longitude: 55.42 },
        ],
      },
      {
        code: 'TR',
        name: 'Türkiye',
        slug: 'turkiye',
        cities: [
          { name: 'Istanbul', slug: 'istanbul', latitude: 41.01, longitude: 28.98 },
          { name: 'Ankara', slug: 'ankara', latitude: 39.93, longitude: 32.86 },
          { name: 'Izmir', slug: 'izmir', latitude: 38.42, longitude: 27.14 },
        ],
      },
      {
        code: 'MY',
        name: 'Malaysia',
        slug: 'malaysia',
        cities: [
          { name: 'Kuala Lumpur', slug: 'kuala-lumpur', latitude: 3.14, longitude: 101.69 },
          { name: 'George Town', slug: 'george-town', latitude: 5.41, longitude: 100.33 },
          { name: 'Johor Bahru', slug: 'johor-bahru', latitude: 1.49, longitude: 103.74 },
        ],
      },
      {
        code: 'PK',
        name: 'Pakistan',
        slug: 'pakistan',
        cities: [
          { name: 'Karachi', slug: 'karachi', latitude: 24.86, longitude: 67.0 },
          { name: 'Lahore', slug: 'lahore', latitude: 31.52, longitude: 74.36 },
          { name: 'Islamabad', slug: 'islamabad', latitude: 33.68, longitude: 73.05 },
        ],
      },
    ],
  },
  {
    code: 'EU',
    name: 'Europe',
    slug: 'europe',
    countries: [
      {
        code: 'GB',
        name: 'United Kingdom',
        slug: 'united-kingdom',
        cities: [
          { name: 'London', slug: 'london', latitude: 51.51, longitude: -0.13 },
          { name: 'Manchester', slug: 'manchester', latitude: 53.48, longitude: -2.24 },
          { name: 'Edinburgh', slug: 'edinburgh', latitude: 55.95, longitude: -3.19 },
          { name: 'Bristol', slug: 'bristol', latitude: 51.45, longitude: -2.59 },
        ],
      },
      {
        code: 'FR',
        name: 'France',
        slug: 'france',
        cities: [
          { name: 'Paris', slug: 'paris', latitude: 48.86, longitude: 2.35 },
          { name: 'Lyon', slug: 'lyon', latitude: 45.76, longitude: 4.84 },
          { name: 'Marseille', slug: 'marseille', latitude: 43.3, longitude: 5.37 },
          { name: 'Bordeaux', slug: 'bordeaux', latitude: 44.84, longitude: -0.58 },
        ],
      },
      {
        code: 'DE',
        name: 'Germany',
        slug: 'germany',
        cities: [
          { name: 'Berlin', slug: 'berlin', latitude: 52.52, longitude: 13.4 },
          { name: 'Munich', slug: 'munich', latitude: 48.14, longitude: 11.58 },
          { name: 'Hamburg', slug: 'hamburg', latitude: 53.55, longitude: 9.99 },
          { name: 'Cologne', slug: 'cologne', latitude: 50.94, longitude: 6.96 },
        ],
      },
      {
        code: 'ES',
        name: 'Spain',
        slug: 'spain',
        cities: [
          { name: 'Madrid', slug: 'madrid', latitude: 40.42, longitude: -3.7 },
          { name: 'Barcelona', slug: 'barcelona', latitude: 41.39, longitude: 2.17 },
          { name: 'Valencia', slug: 'valencia', latitude: 39.47, longitude: -0.38 },
          { name: 'Seville', slug: 'seville', latitude: 37.39, longitude: -5.98 },
        ],
      },
      {
        code: 'IT',
        name: 'Italy',
        slug: 'italy',
        cities: [
          { name: 'Rome', slug: 'rome', latitude: 41.9, longitude: 12.5 },
          { name: 'Milan', slug: 'milan', latitude: 45.46, longitude: 9.19 },
          { name: 'Naples', slug: 'naples', latitude: 40.85, longitude: 14.27 },
          { name: 'Florence', slug: 'florence', latitude: 43.77, longitude: 11.26 },
        ],
      },
      {
        code: 'NL',
        name: 'Netherlands',
        slug: 'netherlands',
        cities: [
          { name: 'Amsterdam', slug: 'amsterdam', latitude: 52.37, longitude: 4.9 },
          { name: 'Rotterdam', slug: 'rotterdam', latitude: 51.92, longitude: 4.48 },
          { name: 'Utrecht', slug: 'utrecht', latitude: 52.09, longitude: 5.12 },
        ],
      },
      {
        code: 'SE',
        name: 'Sweden',
        slug: 'sweden',
        cities: [
          { name: 'Stockholm', slug: 'stockholm', latitude: 59.33, longitude: 18.07 },
          { name: 'Gothenburg', slug: 'gothenburg', latitude: 57.71, longitude: 11.97 },
          { name: 'Malmö', slug: 'malmo', latitude: 55.6, longitude: 13.0 },
        ],
      },
      {
        code: 'PL',
        name: 'Poland',
        slug: 'poland',
        cities: [
          { name: 'Warsaw', slug: 'warsaw', latitude: 52.23, longitude: 21.01 },
          { name: 'Kraków', slug: 'krakow', latitude: 50.06, longitude: 19.94 },
          { name: 'Gdańsk', slug: 'gdansk', latitude: 54.35, longitude: 18.65 },
        ],
      },
      {
        code: 'PT',
        name: 'Portugal',
        slug: 'portugal',
        cities: [
          { name: 'Lisbon', slug: 'lisbon', latitude: 38.72, longitude: -9.14 },
          { name: 'Porto', slug: 'porto', latitude: 41.16, longitude: -8.63 },
          { name: 'Faro', slug: 'faro', latitude: 37.02, longitude: -7.93 },
        ],
      },
      {
        code: 'IE',
        name: 'Ireland',
        slug: 'ireland',
        cities: [
          { name: 'Dublin', slug: 'dublin', latitude: 53.35, longitude: -6.26 },
          { name: 'Cork', slug: 'cork', latitude: 51.9, longitude: -8.47 },
          { name: 'Galway', slug: 'galway', latitude: 53.27, longitude: -9.06 },
        ],
      },
      {
        code: 'NO',
        name: 'Norway',
        slug: 'norway',
        cities: [
          { name: 'Oslo', slug: 'oslo', latitude: 59.91, longitude: 10.75 },
          { name: 'Bergen', slug: 'bergen', latitude: 60.39, longitude: 5.32 },
          { name: 'Tromsø', slug: 'tromso', latitude: 69.65, longitude: 18.96 },
        ],
      },
      {
        code: 'GR',
        name: 'Greece',
        slug: 'greece',
        cities: [
          { name: 'Athens', slug: 'athens', latitude: 37.98, longitude: 23.73 },
          { name: 'Thessaloniki', slug: 'thessaloniki', latitude: 40.64, longitude: 22.94 },
        ],
      },
      {
        code: 'CZ',
        name: 'Czechia',
        slug: 'czechia',
        cities: [
          { name: 'Prague', slug: 'prague', latitude: 50.08, longitude: 14.44 },
          { name: 'Brno', slug: 'brno', latitude: 49.2, longitude: 16.61 },
        ],
      },
      {
        code: 'UA',
        name: 'Ukraine',
        slug: 'ukraine',
        cities: [
          { name: 'Kyiv', slug: 'kyiv', latitude: 50.45, longitude: 30.52 },
          { name: 'Lviv', slug: 'lviv', latitude: 49.84, longitude: 24.03 },
          { name: 'Odesa', slug: 'odesa', latitude: 46.48, longitude: 30.72 },
        ],
      },
      {
        code: 'CH',
        name: 'Switzerland',
        slug: 'switzerland',
        cities: [
          { name: 'Zurich', slug: 'zurich', latitude: 47.38, longitude: 8.54 },
          { name: 'Geneva', slug: 'geneva', latitude: 46.2, longitude: 6.14 },
          { name: 'Bern', slug: 'bern', latitude: 46.95, longitude: 7.45 },
        ],
      },
      {
        code: 'AT',
        name: 'Austria',
        slug: 'austria',
        cities: [
          { name: 'Vienna', slug: 'vienna', latitude: 48.21, longitude: 16.37 },
          { name: 'Salzburg', slug: 'salzburg', latitude: 47.81, longitude: 13.05 },
          { name: 'Innsbruck', slug: 'innsbruck', latitude: 47.27, longitude: 11.4 },
        ],
      },
    ],
  },
  {
    code: 'NA',
    name: 'North America',
    slug: 'north-america',
    countries: [
      {
        code: 'US',
        name: 'United States',
        slug: 'united-states',
        cities: [
          { name: 'New York', slug: 'new-york', latitude: 40.71, longitude: -74.01 },
          { name: 'Los Angeles', slug: 'los-angeles', latitude: 34.05, longitude: -118.24 },
          { name: 'Chicago', slug: 'chicago', latitude: 41.88, longitude: -87.63 },
          { name: 'Austin', slug: 'austin', latitude: 30.27, longitude: -97.74 },
          { name: 'Seattle', slug: 'seattle', latitude: 47.61, longitude: -122.33 },
        ],
      },
      {
        code: 'CA',
        name: 'Canada',
        slug: 'canada',
        cities: [
          { name: 'Toronto', slug: 'toronto', latitude: 43.65, longitude: -79.38 },
          { name: 'Vancouver', slug: 'vancouver', latitude: 49.28, longitude: -123.12 },
          { name: 'Montreal', slug: 'montreal', latitude: 45.5, longitude: -73.57 },
          { name: 'Calgary', slug: 'calgary', latitude: 51.05, longitude: -114.07 },
        ],
      },
      {
        code: 'MX',
        name: 'Mexico',
        slug: 'mexico',
        cities: [
          { name: 'Mexico City', slug: 'mexico-city', latitude: 19.43, longitude: -99.13 },
          { name: 'Guadalajara', slug: 'guadalajara', latitude: 20.66, longitude: -103.35 },
          { name: 'Monterrey', slug: 'monterrey', latitude: 25.69, longitude: -100.32 },
          { name: 'Cancún', slug: 'cancun', latitude: 21.16, longitude: -86.85 },
        ],
      },
      {
        code: 'CU',
        name: 'Cuba',
        slug: 'cuba',
        cities: [
          { name: 'Havana', slug: 'havana', latitude: 23.11, longitude: -82.37 },
          { name: 'Santiago de Cuba', slug: 'santiago-de-cuba', latitude: 20.02, longitude: -75.82 },
        ],
      },
      {
        code: 'JM',
        name: 'Jamaica',
        slug: 'jamaica',
        cities: [
          { name: 'Kingston', slug: 'kingston', latitude: 18.02, longitude: -76.81 },
          { name: 'Montego Bay', slug: 'montego-bay', latitude: 18.48, longitude: -77.89 },
        ],
      },
      {
        code: 'CR',
        name: 'Costa Rica',
        slug: 'costa-rica',
        cities: [
          { name: 'San José', slug: 'san-jose', latitude: 9.93, longitude: -84.09 },
          { name: 'Liberia', slug: 'liberia', latitude: 10.63, longitude: -85.44 },
        ],
      },
      {
        code: 'GT',
        name: 'Guatemala',
        slug: 'guatemala',
        cities: [
          { name: 'Guatemala City', slug: 'guatemala-city', latitude: 14.63, longitude: -90.51 },
          { name: 'Antigua Guatemala', slug: 'antigua-guatemala', latitude: 14.56, longitude: -90.73 },
        ],
      },
    ],
  },
  {
    code: 'OC',
    name: 'Oceania',
    slug: 'oceania',
    countries: [
      {
        code: 'AU',
        name: 'Australia',
        slug: 'australia',
        cities: [
          { name: 'Sydney', slug: 'sydney', latitude: -33.87, longitude: 151.21 },
          { name: 'Melbourne', slug: 'melbourne', latitude: -37.81, longitude: 144.96 },
          { name: 'Brisbane', slug: 'brisbane', latitude: -27.47, longitude: 153.03 },
          { name: 'Perth', slug: 'perth', latitude: -31.95, longitude: 115.86 },
          { name: 'Adelaide', slug: 'adelaide', latitude: -34.93, longitude: 138.6 },
        ],
      },
      {
        code: 'NZ',
        name: 'New Zealand',
        slug: 'new-zealand',
        cities: [
          { name: 'Auckland', slug: 'auckland', latitude: -36.85, longitude: 174.76 },
          { name: 'Wellington', slug: 'wellington', latitude: -41.29, longitude: 174.78 },
          { name: 'Christchurch', slug: 'christchurch', latitude: -43.53, longitude: 172.64 },
          { name: 'Queenstown', slug: 'queenstown', latitude: -45.03, longitude: 168.66 },
        ],
      },
      {
        code: 'FJ',
        name: 'Fiji',
        slug: 'fiji',
        cities: [
          { name: 'Suva', slug: 'suva', latitude: -18.12, longitude: 178.45 },
          { name: 'Nadi', slug: 'nadi', latitude: -17.78, longitude: 177.44 },
          { name: 'Lautoka', slug: 'lautoka', latitude: -17.62, longitude: 177.45 },
        ],
      },
    ],
  },
  {
    code: 'SA',
    name: 'South America',
    slug: 'south-america',
    countries: [
      {
        code: 'BR',
        name: 'Brazil',
        slug: 'brazil',
        cities: [
          { name: 'São Paulo', slug: 'sao-paulo', latitude: -23.55, longitude: -46.63 },
          { name: 'Rio de Janeiro', slug: 'rio-de-janeiro', latitude: -22.91, longitude: -43.17 },
          { name: 'Brasília', slug: 'brasilia', latitude: -15.79, longitude: -47.88 },
          { name: 'Salvador', slug: 'salvador', latitude: -12.98, longitude: -38.5 },
          { name: 'Belo Horizonte', slug: 'belo-horizonte', latitude: -19.92, longitude: -43.94 },
        ],
      },
      {
        code: 'AR',
        name: 'Argentina',
        slug: 'argentina',
        cities: [
          { name: 'Buenos Aires', slug: 'buenos-aires', latitude: -34.6, longitude: -58.38 },
          { name: 'Córdoba', slug: 'cordoba', latitude: -31.42, longitude: -64.19 },
          { name: 'Rosario', slug: 'rosario', latitude: -32.94, longitude: -60.65 },
          { name: 'Mendoza', slug: 'mendoza', latitude: -32.89, longitude: -68.85 },
        ],
      },
      {
        code: 'CL',
        name: 'Chile',
        slug: 'chile',
        cities: [
          { name: 'Santiago', slug: 'santiago', latitude: -33.45, longitude: -70.67 },
          { name: 'Valparaíso', slug: 'valparaiso', latitude: -33.05, longitude: -71.61 },
          { name: 'Concepción', slug: 'concepcion', latitude: -36.82, longitude: -73.04 },
        ],
      },
      {
        code: 'CO',
        name: 'Colombia',
        slug: 'colombia',
        cities: [
          { name: 'Bogotá', slug: 'bogota', latitude: 4.71, longitude: -74.07 },
          { name: 'Medellín', slug: 'medellin', latitude: 6.24, longitude: -75.58 },
          { name: 'Cartagena', slug: 'cartagena', latitude: 10.39, longitude: -75.48 },
          { name: 'Cali', slug: 'cali', latitude: 3.45, longitude: -76.53 },
        ],
      },
      {
        code: 'PE',
        name: 'Peru',
        slug: 'peru',
        cities: [
          { name: 'Lima', slug: 'lima', latitude: -12.05, longitude: -77.04 },
          { name: 'Cusco', slug: 'cusco', latitude: -13.53, longitude: -71.97 },
          { name: 'Arequipa', slug: 'arequipa', latitude: -16.41, longitude: -71.54 },
        ],
      },
      {
        code: 'UY',
        name: 'Uruguay',
        slug: 'uruguay',
        cities: [
          { name: 'Montevideo', slug: 'montevideo', latitude: -34.9, longitude: -56.16 },
          { name: 'Punta del Este', slug: 'punta-del-este', latitude: -34.96, longitude: -54.95 },
          {
            name: 'Colonia del Sacramento',
            slug: 'colonia-del-sacramento',
            latitude: -34.47,
            longitude: -57.84,
          },
        ],
      },
      {
        code: 'EC',
        name: 'Ecuador',
        slug: 'ecuador',
        cities: [
          { name: 'Quito', slug: 'quito', latitude: -0.18, longitude: -78.47 },
          { name: 'Guayaquil', slug: 'guayaquil', latitude: -2.17, longitude: -79.92 },
          { name: 'Cuenca', slug: 'cuenca', latitude: -2.9, longitude: -79.0 },
        ],
      },
    ],
  },
];
