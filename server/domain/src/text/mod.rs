//! Dutch text normalisation for search: diacritics folding, stemming, compounds.
