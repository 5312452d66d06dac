"""Agreement coefficients, pure standard library: Krippendorff's alpha (and its unitized uα),
Cohen's and Fleiss' kappa. The report built on them is `annotator.review.agreement`."""
